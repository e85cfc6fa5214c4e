"""The derived search index: tantivy BM25 built from the store, full build or update
(`index`), and optional sentence embeddings beside it (`semantic`; `minilm`, the full int8
ONNX model, the default encoder of builds and claims, and `dense`, the static one).

May import `bot.corpus`, `bot.text`, `bot.config` and `bot.errors`."""
