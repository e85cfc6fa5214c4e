"""A compass point written as its initial before a place's name ("N. Korea", "S Africa") is
that place, where the alias table knows it; any other initial stays as written."""

from __future__ import annotations

import pytest

from bot.text.aliases import load_aliases
from bot.text.stance import compass_written_out
from tests.conftest import ask_claim


@pytest.mark.parametrize(("written", "read"), [
    ("Putin visited N. Korea", "Putin visited North Korea"),
    ("Putin visited N Korea", "Putin visited North Korea"),
    ("Troops landed in E. Timor", "Troops landed in East Timor"),
    ("S. Korea and N. Korea met", "South Korea and North Korea met"),
    ("The real U.S. Embassy in Accra", "The real U.S. Embassy in Accra"),  # within "U.S."
    ("Robert E. Lee fought", "Robert E. Lee fought"),  # "East Lee" names no place
    ("Plan B Failed", "Plan B Failed"),
])
def test_a_compass_initial_before_a_known_place_is_written_out(settings, written: str,
                                                                read: str) -> None:
    assert compass_written_out(written, load_aliases(settings.aliases_path)) == read


def test_a_claim_naming_a_place_by_its_compass_initial_reads_as_the_place(seeds_core):
    # (the initial was a name of its own on the seeds: "names Kim rather than N", contradicted)
    world = (seeds_core.store, seeds_core.settings)
    plain = ask_claim(world, "Putin visited North Korea")
    for claim in ("Putin visited N. Korea", "Putin visited N Korea"):
        answer = ask_claim(world, claim)
        assert (answer.verdict, answer.sources) == (plain.verdict, plain.sources), answer
