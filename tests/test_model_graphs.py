"""The shipped ONNX models carry no softmax NaN guards (`tests/bench/onnx_graph.py`): the
guards never change an output of theirs, yet cost ~14% of a long cross-encoder pair."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.claims import cross
from bot.search import minilm

# A NodeProto's op_type field (field 4, length-delimited) holding "IsNaN": the guard's test.
ISNAN_NODE = b"\x22\x05IsNaN"


@pytest.mark.parametrize("folder", [minilm.MODEL_DIR, cross.MODEL_DIR])
def test_shipped_models_hold_no_nan_guard(folder: Path) -> None:
    data = (folder / "model.onnx").read_bytes()
    assert b"\x22\x07Softmax" in data  # an attention model (a Softmax node)
    assert ISNAN_NODE not in data


def _guarded_model(guard_softmax: bool = True) -> Any:
    """x -> Softmax -> Where(IsNaN(.), 0, .) -> MatMul(., w) -> y; with `guard_softmax`
    off, the guarded value is an Add's output instead of a Softmax's."""
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    first = "Softmax" if guard_softmax else "Add"
    nodes = [
        helper.make_node("Softmax", ["x"], ["p"], axis=-1) if guard_softmax
        else helper.make_node("Add", ["x", "x"], ["p"]),
        helper.make_node("IsNaN", ["p"], ["nan"]),
        helper.make_node("Where", ["nan", "zero", "p"], ["safe"]),
        helper.make_node("MatMul", ["safe", "w"], ["y"]),
    ]
    inits = [numpy_helper.from_array(np.zeros((), np.float32), "zero"),
             numpy_helper.from_array(np.arange(12, dtype=np.float32).reshape(4, 3), "w")]
    graph = helper.make_graph(
        nodes, f"guard-after-{first}",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 3])], inits,
        value_info=[helper.make_tensor_value_info("nan", TensorProto.BOOL, [2, 4])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def _run(model_bytes: bytes, x: Any) -> Any:
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.log_severity_level = 3
    session = ort.InferenceSession(model_bytes, opts, providers=["CPUExecutionProvider"])
    return session.run(None, {"x": x})[0]


def test_drop_nan_guards_keeps_the_outputs(tmp_path: Path) -> None:
    pytest.importorskip("onnx")
    pytest.importorskip("onnxruntime")
    import numpy as np

    from tests.bench.onnx_graph import drop_nan_guards, trim

    model = _guarded_model()
    before = model.SerializeToString()
    assert drop_nan_guards(model) == 1
    ops = [n.op_type for n in model.graph.node]
    assert ops == ["Softmax", "MatMul"]
    assert not model.graph.value_info
    x = np.random.default_rng(0).normal(size=(2, 4)).astype(np.float32)
    assert np.array_equal(_run(before, x), _run(model.SerializeToString(), x))
    # A guard on anything but a softmax stays; a file is trimmed in place, once.
    other = _guarded_model(guard_softmax=False)
    assert drop_nan_guards(other) == 0
    path = tmp_path / "model.onnx"
    path.write_bytes(before)
    assert trim(path, [{"x": x}]) == 1
    assert ISNAN_NODE not in path.read_bytes() and ISNAN_NODE in before
    assert trim(path, [{"x": x}]) == 0
