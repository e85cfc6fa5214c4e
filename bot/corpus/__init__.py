"""The corpus and its system of record: reading files (`reload`), turning raw text into
articles (`article`, `cleaning`, `segment`, `metadata`) and ALL database access (`storage`,
the one module to swap for another backend).

May import only `bot.config`, `bot.errors`, `bot.reply` (how a line is shown) and the
standard library / third-party packages."""
