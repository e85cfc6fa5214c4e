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


AVX512_VNNI = "avx2 avx512f avx512dq avx512bw avx512vl avx512_vnni"


@pytest.mark.parametrize(("cpuinfo", "asked"), [
    ("processor\t: 0\nflags\t\t: fpu sse4_2 avx fma avx2 bmi2\n", True),  # AMD Zen 1-3
    ("flags\t\t: avx2 avx512f avx512dq avx512bw avx512vl\n", True),  # Skylake-SP: no VNNI
    (f"flags\t\t: {AVX512_VNNI}\n", False),  # Cascade Lake and later Xeons, Zen 4
    ("flags\t\t: avx2 avx512f avx512vl avx512_vnni\n", True),  # VNNI without BW and DQ (a VM)
    ("flags\t\t: avx2 avx_vnni\n", False),  # Alder Lake
    (f"processor\t: 0\nflags\t\t: {AVX512_VNNI}\nvmx flags\t: ept\n\n"
     f"processor\t: 1\nflags\t\t: {AVX512_VNNI}\n", False),  # two processors
    ("vmx flags\t: avx_vnni\n", True),  # not the CPU's flags line
    ("Features\t: fp asimd asimddp\n", True),  # ARM: asked, and onnxruntime ignores it
])
def test_exact_int8_products_asked_unless_the_cpu_has_vnni(cpuinfo: str, asked: bool) -> None:
    assert minilm.exact_int8_option(cpuinfo) is asked


def test_exact_int8_products_asked_when_the_cpu_flags_cannot_be_read(tmp_path: Path) -> None:
    assert minilm.exact_int8_option(path=tmp_path / "cpuinfo") is True


def _feeds(session: Any, tokens: int, seed: int) -> dict[str, Any]:
    import numpy as np

    ids = np.random.default_rng(seed).integers(1000, 20000, size=(1, tokens)).astype(np.int64)
    feed = {"input_ids": ids, "attention_mask": np.ones_like(ids),
            "token_type_ids": np.zeros_like(ids)}
    names = {i.name for i in session.get_inputs()}
    return {k: v for k, v in feed.items() if k in names}


@pytest.mark.parametrize("folder", [minilm.MODEL_DIR, cross.MODEL_DIR])
def test_shipped_models_give_the_exact_int8_outputs_on_this_cpu(folder: Path) -> None:
    """The sessions the bot makes give the outputs of exact int8 products (onnxruntime's
    non-saturating kernels, `minilm.EXACT_INT8`), whatever the CPU: on an AVX2 CPU without the
    option (an AMD EPYC, Zen 1) sentence vectors were at cosine 0.992 (median) to the exact
    ones, and `make eval` lost Climate-FEVER accuracy 0.573 -> 0.555."""
    pytest.importorskip("onnxruntime")
    import numpy as np
    import onnxruntime as ort

    path = str(folder / "model.onnx")
    ours = ort.InferenceSession(path, minilm.session_options(),
                                providers=["CPUExecutionProvider"])
    exact_opts = minilm.session_options()
    exact_opts.add_session_config_entry(*minilm.EXACT_INT8)
    exact = ort.InferenceSession(path, exact_opts, providers=["CPUExecutionProvider"])
    for tokens, seed in ((16, 0), (96, 1)):
        feed = _feeds(ours, tokens, seed)
        assert np.array_equal(ours.run(None, feed)[0], exact.run(None, feed)[0])


def test_int8_products_that_overflow_16_bits_come_out_exact() -> None:
    """A MatMulInteger whose neighbouring products sum past 32,767 (255 x 127 x 2): the bot's
    session options give numpy's exact integers."""
    pytest.importorskip("onnx")
    pytest.importorskip("onnxruntime")
    import numpy as np
    import onnxruntime as ort
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(3)
    a = rng.integers(200, 256, size=(4, 64)).astype(np.uint8)
    w = rng.integers(100, 128, size=(64, 8)).astype(np.int8)
    w[:, ::2] *= -1  # mixed signs by column: neighbouring products (one column) share one
    graph = helper.make_graph(
        [helper.make_node("MatMulInteger", ["a", "w"], ["y"])], "int8-products",
        [helper.make_tensor_value_info("a", TensorProto.UINT8, [4, 64])],
        [helper.make_tensor_value_info("y", TensorProto.INT32, [4, 8])],
        [numpy_helper.from_array(w, "w")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    session = ort.InferenceSession(model.SerializeToString(), minilm.session_options(),
                                   providers=["CPUExecutionProvider"])
    exact = a.astype(np.int64) @ w.astype(np.int64)
    assert np.array_equal(session.run(None, {"a": a})[0], exact)
