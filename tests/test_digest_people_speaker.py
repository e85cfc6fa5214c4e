"""Who's who: the role is a noun phrase or the title before the name; "quoted" goes to the
speaker of the reporting verb, not to every name of the sentence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.config import Settings
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store
from bot.digest.build import build_digest
from bot.digest.people import mentions

BRASK = "Mayor Elena Brask, speaking alongside Governor Tim Wells, said the bridge would reopen in December."


def test_the_title_before_the_name_is_the_role_and_only_the_speaker_is_quoted() -> None:
    assert mentions(BRASK) == [("Elena Brask", "Mayor", True), ("Tim Wells", "Governor", False)]


@pytest.mark.parametrize(("text", "expected"), [
    # a participial phrase after the name is what the person did, not a role
    ("Elena Brask, speaking alongside Governor Tim Wells, said the bridge would reopen.",
     {("Elena Brask", None, True), ("Tim Wells", "Governor", False)}),
    ("Mayor Elena Brask, flanked by Governor Tim Wells, said the bridge would reopen.",
     {("Elena Brask", "Mayor", True), ("Tim Wells", "Governor", False)}),
    # nor is a clause of when or why, a title word in it someone else's
    ('"We will appeal," said Lara Moss, after Mayor Elena Brask said the vote was fair.',
     {("Lara Moss", None, True), ("Elena Brask", "Mayor", True)}),
    ("Tomas Weir, when the Governor Tim Wells spoke, left the room in protest.",
     {("Tomas Weir", None, False), ("Tim Wells", "Governor", False)}),
    # "once" and "since" open roles as well as clauses (a second read of the change)
    ('"We will appeal," said Lara Moss, once the city\'s mayor.',
     {("Lara Moss", "once the city's mayor", True)}),
    ("Lara Moss, since March the party's leader, said the vote was fair.",
     {("Lara Moss", "since March the party's leader", True)}),
    # the one spoken of is not quoted, before or after the verb
    ("Mayor Elena Brask said Governor Tim Wells would sign the bill.",
     {("Elena Brask", "Mayor", True), ("Tim Wells", "Governor", False)}),
    ("Police said Jeff King was not hurt.", {("Police", None, True), ("Jeff King", None, False)}),
    # speakers: after the verb, with a role between commas, several of them, "who said"
    ("Sergei Shoigu, the Russian defense minister, said talks were over.",
     {("Sergei Shoigu", "Russian defense minister", True)}),
    ("Mark Herron, a retired army general, said the plan was sound.",
     {("Mark Herron", "retired army general", True)}),
    ("Sony Kapoor, managing director of an economic think tank, said the vote failed.",
     {("Sony Kapoor", "managing director of an economic think tank", True)}),
    ("Governor Tim Wells and Mayor Elena Brask said the bridge would reopen.",
     {("Tim Wells", "Governor", True), ("Elena Brask", "Mayor", True)}),
    ('"We will reopen," said Mayor Elena Brask.', {("Elena Brask", "Mayor", True)}),
    ('"It is wrong," said CNN senior political analyst David Gergen.', {("David Gergen", "analyst", True)}),
    ("Attorney General Greg Abbott, who said in an interview that the plan was too costly.",
     {("Greg Abbott", "Attorney General", True)}),
    ("House Minority Leader Nancy Pelosi (D-CA) said that she would speak to her members.",
     {("Nancy Pelosi", "House Minority Leader", True)}),
])
def test_who_is_quoted_is_who_speaks(text: str, expected: set[tuple[str, str | None, bool]]) -> None:
    assert set(mentions(text)) == expected


def test_whos_who_of_a_digest_quotes_the_speaker_alone(store: Store, settings: Settings,
                                                       corpus: Path) -> None:
    text = (BRASK + " The bridge was closed in October after inspectors found cracks in two of "
            "its supports. Engineers replaced both supports and tested the deck over three weeks.")
    (corpus / "a.jsonl").write_text(json.dumps({"id": "a", "title": "Bridge to reopen", "text": text,
                                                "published": "2026-11-20"}) + "\n")
    assert not reload_corpus(store, settings, [corpus]).rejected
    section = build_digest(store, settings, only="whos-who").section("whos-who")
    assert section is not None
    assert [(i.text, i.note) for i in section.items] == [("Elena Brask, Mayor", "quoted"),
                                                          ("Tim Wells, Governor", None)]
