"""A Ctrl-C while the sentence model's runtime is imported.

onnxruntime's (and numpy's) module initialisation is C code: a Ctrl-C landing in it makes
the import fail with an ImportError ("initialization failed", "import numpy failed") and the
KeyboardInterrupt is lost. That was taken for "onnxruntime or tokenizers is not installed":
the static model embedded instead, the command went on (exit 0), and a `briefbot claim`
interrupted so (about 2 s after it started) rebuilt the shared search index with the static
model for every process, until the next reload. Now the Ctrl-C is a Ctrl-C."""

from __future__ import annotations

import builtins
import os
import signal
import time
from collections.abc import Iterator
from typing import Any

import pytest

from bot.search import semantic
from bot.search.minilm import ModelError, OnnxEncoder

_REAL_IMPORT = builtins.__import__


def _c_init_swallowing_ctrl_c(name: str, *args: Any, **kwargs: Any) -> Any:
    """onnxruntime's import as a C extension's initialisation fails on a Ctrl-C: the
    KeyboardInterrupt turned into an ImportError."""
    if name == "onnxruntime":
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(1)  # the handler runs at once
        except KeyboardInterrupt:
            raise ImportError("initialization failed") from None
    return _REAL_IMPORT(name, *args, **kwargs)


def _not_installed(name: str, *args: Any, **kwargs: Any) -> Any:
    if name == "onnxruntime":
        raise ImportError("No module named 'onnxruntime'")
    return _REAL_IMPORT(name, *args, **kwargs)


@pytest.fixture(autouse=True)
def _python_handles_ctrl_c() -> Iterator[None]:
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    semantic.forget_full_model()
    yield
    signal.signal(signal.SIGINT, previous)
    semantic.forget_full_model()


def test_a_ctrl_c_in_the_runtime_import_is_a_ctrl_c(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(builtins, "__import__", _c_init_swallowing_ctrl_c)
    with pytest.raises(KeyboardInterrupt):
        OnnxEncoder()
    with pytest.raises(KeyboardInterrupt):
        semantic.full_model()
    assert semantic.full_model_error() is None  # no failure remembered: the next use loads it
    monkeypatch.setattr(builtins, "__import__", _REAL_IMPORT)
    assert semantic.full_model() is not None
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_runtime_that_is_not_installed_is_still_said_so(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(builtins, "__import__", _not_installed)
    with pytest.raises(ModelError, match="onnxruntime or tokenizers is not installed"):
        OnnxEncoder()


def test_a_ctrl_c_while_the_claim_cross_encoder_loads_is_a_ctrl_c(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """`load_cross` took the lost Ctrl-C (an ImportError) for a model it cannot load and
    cached None: claims were judged without the cross-encoder for the rest of the process."""
    from bot.claims import cross

    cross.load_cross.cache_clear()
    try:
        monkeypatch.setattr(builtins, "__import__", _c_init_swallowing_ctrl_c)
        with caplog.at_level("ERROR", logger="bot.claims.cross"), \
                pytest.raises(KeyboardInterrupt):
            cross.load_cross()
        assert not caplog.records  # no failure said either
        assert cross.load_cross.cache_info().currsize == 0  # nothing remembered
        monkeypatch.setattr(builtins, "__import__", _REAL_IMPORT)
        assert cross.load_cross() is not None  # the next use loads it
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
        # A runtime that is not installed is still a failure: logged, remembered.
        cross.load_cross.cache_clear()
        monkeypatch.setattr(builtins, "__import__", _not_installed)
        with caplog.at_level("ERROR", logger="bot.claims.cross"):
            assert cross.load_cross() is None
        assert "judged without it" in caplog.text and "No module named" in caplog.text
        assert cross.load_cross.cache_info().currsize == 1
    finally:
        cross.load_cross.cache_clear()
