"""The derived search index: tantivy BM25 built from the store, full build or update
(`index`), and optional sentence embeddings beside it (`semantic`; the static encoder
`dense`, and `minilm`, the full int8 ONNX model that re-scores a lookup's candidates).

May import `bot.corpus`, `bot.text`, `bot.config` and `bot.errors`."""
