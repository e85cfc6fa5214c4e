"""A name opening a sentence is a name: "Vladimir Putin signed the decree …" and "Recep
Erdogan signed the decree …" in two articles are two facts, each of 1 source (they were one
of 2 sources: a sentence's first word was never read as a name, so "Vladimir" and "Recep"
were two other words of the sentences, not two names, and "Putin signed …" named nothing).
Whether a capitalised first word is a name is read from how the story writes it elsewhere
(`summarize.OpeningNames`), so an ordinary word opening a quotation ('"Sadly, …"') is none."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.corpus.storage import Store
from bot.digest.summarize import OpeningNames, names
from tests.conftest import key_developments, opening_articles


def _developments(store: Store, settings: Settings, corpus: Path,
                  firsts: list[str], rest: list[str]) -> dict[str, set[str]]:
    return dict(key_developments(store, settings, corpus,
                                 opening_articles(firsts, rest, "Decree")))


@pytest.mark.parametrize("template", [
    "{given} {name} signed the decree imposing 12 new sanctions on Monday.",
    "{name} signed the decree imposing 12 new sanctions on Monday.",
    '"{name} signed the decree imposing 12 new sanctions on Monday," the minister said.',
])
def test_one_template_opening_with_two_names_is_two_facts(
        store: Store, settings: Settings, corpus: Path, template: str) -> None:
    people = [("Vladimir", "Putin"), ("Recep", "Erdogan")]
    firsts = [template.format(given=given, name=name) for given, name in people]
    rest = [f"Officials in Varn said the decree by President {name} took effect at once."
            for _, name in people]
    items = _developments(store, settings, corpus, firsts, rest)
    signed = {text: cited for text, cited in items.items() if "signed" in text}
    assert signed == {firsts[0]: {"c-0"}, firsts[1]: {"c-1"}}, items


def test_one_fact_quoted_with_two_ordinary_opening_words_is_one_fact(
        store: Store, settings: Settings, corpus: Path) -> None:
    # (read as names, '"Sadly' and '"Tragically' made two facts of 1 source each, as they did
    # before fadeacf: `OpeningNames` reads neither as one, the story never writing them so)
    firsts = [f'"{word}, 12 people died in the fire at the Varn depot on Monday," the mayor said.'
              for word in ("Sadly", "Tragically")]
    rest = ["Firefighters worked through the night.", "The cause of the fire is not yet known."]
    items = _developments(store, settings, corpus, firsts, rest)
    died = [cited for text, cited in items.items() if "died" in text]
    assert died == [{"c-0", "c-1"}], items


@pytest.mark.parametrize("openers", [("Meanwhile", "Later"), ("Yesterday", "Instead")])
def test_one_fact_opening_with_two_ordinary_words_before_a_name_is_one_fact(
        store: Store, settings: Settings, corpus: Path, openers: tuple[str, str]) -> None:
    # neither article writes its opening word in lower case, nor the other's at all: read as
    # given names, "meanwhile" and "later" made two facts of 1 source each
    firsts = [f"{word} Putin signed the decree imposing 12 new sanctions on grain exports."
              for word in openers]
    rest = ["Officials in Varn said the decree by President Putin took effect at once.",
            "Traders in Varn expect the decree by President Putin to raise prices."]
    items = _developments(store, settings, corpus, firsts, rest)
    signed = [cited for text, cited in items.items() if "signed" in text]
    assert signed == [{"c-0", "c-1"}], items


def test_two_possessives_opening_with_the_apostrophe_alone_are_two_facts(
        store: Store, settings: Settings, corpus: Path) -> None:
    # "Davis'" and "Jones'" were read as the words "davis'" and "jones'", which no sentence
    # writes past a start, so as no names: one fact of 2 sources ("Davis's" was read)
    firsts = [f"{name}' lawyer filed the appeal against the ruling of the Varn court on Monday."
              for name in ("Davis", "Jones")]
    rest = [f"The court heard from {name} in June." for name in ("Davis", "Jones")]
    items = _developments(store, settings, corpus, firsts, rest)
    filed = {text: cited for text, cited in items.items() if "filed" in text}
    assert filed == {firsts[0]: {"c-0"}, firsts[1]: {"c-1"}}, items


STORY = ["Vladimir Putin signed the decree on Monday.",
         "Officials said the decree by President Putin took effect today.",
         '"Officials expect more sanctions," the minister said.',
         "Today Putin met the ministers.",
         "Varn officials met. Putin left.",
         "Meanwhile Putin left the talks.",
         "Although Putin agreed, the talks failed.",
         "Davis' lawyer met the ministers.",
         "'Putin' is what they call him.",
         "Officials said Davis left."]


@pytest.mark.parametrize(("sentence", "named"), [
    # a given name the story writes nowhere else, before a name it writes past a start
    (STORY[0], {"vladimir", "putin"}),
    # a word the story writes in lower case is none, in quotes too
    (STORY[2], set()),
    (STORY[3], {"putin"}),
    # nor is one it never writes past a start ("Varn"), but a name after a full stop is one
    (STORY[4], {"putin"}),
    # nor one of the language before a name, that the story never writes in lower case
    (STORY[5], {"putin"}),
    (STORY[6], {"putin"}),
    # a possessive written with the apostrophe alone, and a name in quotation marks
    (STORY[7], {"davis"}),
    (STORY[8], {"putin"}),
])
def test_an_opening_word_is_a_name_where_its_story_writes_it_so(
        sentence: str, named: set[str]) -> None:
    assert names(sentence, OpeningNames(STORY)) == named
