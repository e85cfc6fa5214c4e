# briefbot container image: `docker build -t briefbot .` (see README, "Deploy").
# Stage 1 builds the wheel's install into a virtual environment; stage 2 copies only that
# environment onto a slim Python, runs as an unprivileged user, and keeps its state in /data.
ARG PYTHON_VERSION=3.11

FROM python:${PYTHON_VERSION}-slim AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
# What `pip install .` reads: the code and the shipped defaults (package data).
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY seeds ./seeds
COPY digests ./digests
COPY config ./config
RUN python -m venv /opt/briefbot \
    && /opt/briefbot/bin/pip install --no-cache-dir .

FROM python:${PYTHON_VERSION}-slim
# A fixed, unprivileged uid/gid (match it when you bind-mount a host folder on /data).
RUN groupadd --system --gid 10001 briefbot \
    && useradd --system --uid 10001 --gid briefbot --home-dir /data --no-create-home \
       --shell /usr/sbin/nologin briefbot \
    && install -d -o briefbot -g briefbot -m 0750 /data
COPY --from=build /opt/briefbot /opt/briefbot
# BRIEFBOT_HOME: the database (and its search index) in /data; a config there
# (/data/briefbot.toml) is used when present, else the shipped defaults.
ENV PATH=/opt/briefbot/bin:$PATH \
    BRIEFBOT_HOME=/data \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1
VOLUME ["/data"]
WORKDIR /data
USER 10001:10001
# Slack HTTP mode (`run --slack-http --host 0.0.0.0 --port 3000`) listens here; Socket Mode and Discord
# need no inbound port.
EXPOSE 3000
ENTRYPOINT ["briefbot"]
CMD ["run", "--require-platform", "--log-level", "INFO"]
