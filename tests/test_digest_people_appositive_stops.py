"""Who speaks after a name and its comma (`people._SPEAKS_AFTER`: "NAME, the mayor, said")
reads an appositive of up to 160 characters, full stops in it. A full stop before a letter
was read by two of its alternatives, so each one doubled the ways tried before the pattern
gave up: "Mayor John Smith, who keeps the list at www.a.b.c.….org says it is open." with 30
such stops took 6 minutes, 52 would take years, and the digest of any article holding the
sentence with them."""

from __future__ import annotations

from bot.digest.people import mentions
from tests.conftest import called_in_a_child


def test_an_appositive_with_many_full_stops_before_letters_is_read() -> None:
    address = "www." + ".".join("abcdefghijklmnopqrstuvwxyz" * 2) + ".example.org"
    sentence = f"Mayor John Smith, who keeps the list at {address} says it is open."
    read = called_in_a_child("bot.digest.people", "mentions", sentence)
    # read as the sentence whose address has no full stop is
    assert read == [list(m) for m in mentions(sentence.replace(address, "the-list-site"))]
    assert [m[0] for m in read] == ["John Smith"]
