"""briefbot: cited digests and claim lookups over a news corpus, for Discord, Slack and the console."""

__version__ = "0.1.0"
