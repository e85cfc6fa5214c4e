"""Drop the softmax NaN guards that torch's ONNX export puts in every attention layer.

`torch.onnx.export` writes each BERT attention's probabilities as
`Where(IsNaN(Softmax(scores)), 0, Softmax(scores))`: a row whose keys are all masked gives
NaN, which the guard turns into zeros. The shipped models never see such a row (the sentence
encoder's masks only pad the end of a text that holds [CLS] and [SEP]; the cross-encoder
passes no padding at all), so the guard never changes a value, yet it costs two full passes
over every layer's (heads x tokens x tokens) probabilities: ~1.4 of ~10 ms for a 128-token
cross-encoder pair on one core. Without it the outputs are bit for bit the same (checked
below on random padded batches, and on real pairs and sentences when it was first applied).

`python -m tests.bench.onnx_graph MODEL.onnx ...` rewrites each file in place (training
extra: needs `onnx`); `make onnx-model` and `make cross-model` apply it to what they export.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def drop_nan_guards(model: Any) -> int:
    """Remove every `Where(IsNaN(x), c, x)` whose `x` is a Softmax output from `model` (an
    `onnx.ModelProto`), its consumers reading `x` itself; the number removed."""
    graph = model.graph
    producer = {out: node for node in graph.node for out in node.output}
    renamed: dict[str, str] = {}
    dropped = []
    for node in graph.node:
        if node.op_type != "Where" or len(node.input) != 3:
            continue
        test = producer.get(node.input[0])
        kept = producer.get(node.input[2])
        if test is None or test.op_type != "IsNaN" or test.input[0] != node.input[2] \
                or kept is None or kept.op_type != "Softmax":
            continue
        renamed[node.output[0]] = node.input[2]
        dropped += [node, test]
    if not dropped:
        return 0
    for node in graph.node:
        for i, name in enumerate(node.input):
            if name in renamed:
                node.input[i] = renamed[name]
    for out in graph.output:
        if out.name in renamed:
            raise ValueError(f"{out.name} is a graph output: its guard cannot be dropped")
    for node in dropped:
        graph.node.remove(node)
    gone = {out for node in dropped for out in node.output}
    for info in [v for v in graph.value_info if v.name in gone]:
        graph.value_info.remove(info)
    return len(dropped) // 2


def _outputs(model_bytes: bytes, feeds: list[dict[str, Any]]) -> list[Any]:
    import onnxruntime as ort

    from bot.search.minilm import session_options

    session = ort.InferenceSession(model_bytes, session_options(),
                                   providers=["CPUExecutionProvider"])
    names = {i.name for i in session.get_inputs()}
    return [session.run(None, {k: v for k, v in feed.items() if k in names})[0]
            for feed in feeds]


def _check_feeds() -> list[dict[str, Any]]:
    """Random token ids: one unpadded pair of 128 tokens, and a batch padded as the sentence
    encoder pads (each row's end), with token types as the cross-encoder gives them."""
    import numpy as np

    rng = np.random.default_rng(0)
    feeds = []
    for rows, width in ((1, 128), (4, 40)):
        ids = rng.integers(1000, 20000, (rows, width)).astype(np.int64)
        mask = np.ones_like(ids)
        for r in range(1, rows):
            mask[r, width - 7 * r:] = 0
            ids[r, width - 7 * r:] = 0
        types = np.zeros_like(ids)
        types[:, width // 3:] = 1
        feeds.append({"input_ids": ids, "attention_mask": mask, "token_type_ids": types * mask})
    return feeds


def trim(path: Path, feeds: list[dict[str, Any]] | None = None) -> int:
    """Drop `path`'s guards in place, after checking that the outputs stay the same on
    `feeds` (the inputs by name; by default, BERT inputs: `_check_feeds`)."""
    import numpy as np
    import onnx

    before = path.read_bytes()
    model = onnx.load_from_string(before)
    n = drop_nan_guards(model)
    if n == 0:
        return 0
    onnx.checker.check_model(model)
    after = model.SerializeToString()
    feeds = feeds if feeds is not None else _check_feeds()
    for old, new in zip(_outputs(before, feeds), _outputs(after, feeds), strict=True):
        if not np.array_equal(old, new):
            raise SystemExit(f"{path}: the outputs changed without the guards; left as it was")
    path.write_bytes(after)
    return n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("models", type=Path, nargs="+")
    args = ap.parse_args()
    for path in args.models:
        print(f"{path}: {trim(path)} softmax NaN guards dropped, outputs the same")
    return 0


if __name__ == "__main__":
    sys.exit(main())
