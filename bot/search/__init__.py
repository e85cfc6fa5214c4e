"""The derived search index: tantivy BM25 built from the store, full build or update
(`index`), and optional sentence embeddings beside it (`semantic`).

May import `bot.corpus`, `bot.text`, `bot.config` and `bot.errors`."""
