"""The benchmark and build scripts (tests/bench: `make judge`, `make cities`, `make eval`...)
keep working with the code they call. Their types are checked by `make lint` (`mypy bot
tests` covers tests/bench): a script calling a function whose signature changed failed only
when someone rebuilt a model (fit_cross_floor.py still called the cross-encoder step without
the Copies reader it takes since 3eaa064). That mypy run was also a test here, written when
`make lint` checked bot/ only; `.ci/run` runs both, so it ran twice (12.6 s of the suite)."""

from __future__ import annotations


def test_the_speed_benchs_random_vectors_take_the_builds_arguments() -> None:
    # `BENCH_RANDOM_VECTORS=1 make bench ONLY=speed` replaces the build's `_embed`; once the
    # build passed it one argument more (`untitled`), the bench failed at its first build
    # with a TypeError (the replacement is assigned past mypy). Called here as `build` calls it.
    import inspect

    from bot.search import semantic
    from tests.bench.bench_speed import random_vectors

    class Width:
        dim = 8

    real = inspect.signature(semantic._embed)
    with random_vectors():
        fake = semantic._embed
        assert list(inspect.signature(fake).parameters) == list(real.parameters)
        ids, vecs = fake([(7, "A sentence.", None)], Width(), None, True)  # type: ignore[arg-type, list-item]
    assert list(ids) == [7] and vecs.shape == (1, 8)
    assert semantic._embed is not fake
