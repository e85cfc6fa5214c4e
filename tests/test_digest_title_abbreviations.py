"""A name after a title abbreviation ("Mr. Putin", "Dr. Smith", "Gen. Milley") is a name: its
full stop ends no sentence, so the word after it does not open one. The fact's named subject
is the name, not the title (one template, "On Monday Mr. Putin signed …" and "On Monday Mr.
Erdogan signed …", was one fact of 2 sources: each named only "Mr"), and who's who quotes the
person ("Mr. Putin said" quoted no one)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.corpus.storage import Store
from bot.digest.people import mentions, whos_who
from bot.digest.summarize import OpeningNames, capitalised_stop_words, names
from tests.conftest import key_developments


def _signed_developments(store: Store, settings: Settings, corpus: Path, first: str,
                         second: str) -> list[set[str]]:
    """The citations of each key development saying "signed", from two articles of one
    template: "On Monday {first} signed the decree …" and the same with `second`, each with
    a sentence of its own after it."""
    recs = [{"id": f"decree-{n}", "title": f"Decree {n}", "published": "2026-11-30",
             "outlet": f"Paper {n}",
             "text": f"On Monday {name} signed the decree on grain exports in the capital. "
                     f"{rest}"}
            for n, name, rest in ((1, first, "Farmers welcomed the move."),
                                  (2, second, "Traders expect prices to fall."))]
    return [cited for text, cited in key_developments(store, settings, corpus, recs)
            if "signed" in text]


@pytest.mark.parametrize(("sentence", "named"), [
    ("On Monday Mr. Putin signed the decree.", {"putin"}),
    ("Troops loyal to Gen. Milley left the base.", {"milley"}),
    ("On Monday Dr. Smith said the vaccine was safe.", {"smith"}),
    # a full stop that is no title's still ends a sentence: "Then" opens one
    ("Talks ended. Then Varn fell.", {"varn"}),
    # a surname spelt as a title's abbreviation, with no name after it, is a name (a second
    # read's find: "Sen." ending the sentence was read as a title, and named nothing)
    ("The border talks ended with Hun Sen.", {"hun", "sen"}),
    ("The prize went to the economist Amartya Sen.", {"amartya", "sen"}),
])
def test_the_name_after_a_title_is_named(sentence: str, named: set[str]) -> None:
    assert names(sentence) == named


def test_one_template_of_two_titled_names_is_two_facts(
        store: Store, settings: Settings, corpus: Path) -> None:
    recs = [{"id": f"decree-{n}", "title": f"Decree {n}", "published": "2026-11-30",
             "outlet": f"Paper {n}",
             "text": f"On Monday Mr. {name} signed the decree on grain exports in the capital. "
                     f"{rest}"}
            for n, name, rest in ((1, "Putin", "Farmers welcomed the move."),
                                  (2, "Erdogan", "Traders expect prices to fall."))]
    signed = {text: cited for text, cited in key_developments(store, settings, corpus, recs)
              if "signed" in text}
    # (it was one: "On Monday Mr. Putin signed …" citing both articles)
    assert signed == {
        "On Monday Mr. Putin signed the decree on grain exports in the capital.": {"decree-1"},
        "On Monday Mr. Erdogan signed the decree on grain exports in the capital.": {"decree-2"},
    }, signed


@pytest.mark.parametrize(("sentence", "name"), [
    ("On Monday Mr. Putin said the talks had failed.", "Putin"),
    ("The talks failed, Mr. Putin said.", "Putin"),
    ("The base will close, said Gen. Milley.", "Milley"),
])
def test_a_titled_surname_is_quoted(sentence: str, name: str) -> None:
    assert mentions(sentence) == [(name, None, True)]


def test_a_surname_after_a_sentence_stop_is_still_no_one() -> None:
    assert mentions("The talks failed. Officials said so.") == []


def test_a_titled_surname_joins_the_full_name() -> None:
    people = whos_who([
        "Russian President Vladimir Putin arrived in Pyongyang on Monday.",
        "The talks failed, Mr. Putin said.",
        "Mr. Putin said the pact was defensive.",
    ])
    assert [(p.name, p.quoted, p.mentions) for p in people] == [("Vladimir Putin", True, 3)]


# A title written without its full stop, as British papers write it ("Mr Putin", "Dr Smith",
# "Gen Milley"), is one too (a second read's find: "Mr" was a name of the fact, "Mr Putin
# said" quoted no one and "said Gen Milley." quoted a "Gen Milley").
@pytest.mark.parametrize(("sentence", "named"), [
    ("On Monday Mr Putin signed the decree.", {"putin"}),
    ("Troops loyal to Gen Milley left the base.", {"milley"}),
])
def test_the_name_after_an_undotted_title_is_named(sentence: str, named: set[str]) -> None:
    assert names(sentence) == named


def test_one_fact_with_an_undotted_title_or_a_given_name_is_one_fact(
        store: Store, settings: Settings, corpus: Path) -> None:
    signed = _signed_developments(store, settings, corpus, "Mr Putin", "Vladimir Putin")
    # (it was two, 1 source each: "Mr" a name the other article never says)
    assert signed == [{"decree-1", "decree-2"}], signed


@pytest.mark.parametrize(("sentence", "person"), [
    ("Mr Putin said the talks had failed.", ("Putin", None, True)),
    ("The talks failed, said Mr Putin.", ("Putin", None, True)),
    ("The base will close, said Gen Milley.", ("Milley", None, True)),
    ("Gen Mark Milley said the base would close.", ("Mark Milley", None, True)),
])
def test_an_undotted_title_is_no_name_and_the_surname_speaks(
        sentence: str, person: tuple[str, None, bool]) -> None:
    assert mentions(sentence) == [person]


def test_a_surname_after_an_undotted_title_joins_the_full_name() -> None:
    people = whos_who([
        "Russian President Vladimir Putin arrived in Pyongyang on Monday.",
        "The talks failed, Mr Putin said.",
        "Mr Putin said the pact was defensive.",
    ])
    assert [(p.name, p.quoted, p.mentions) for p in people] == [("Vladimir Putin", True, 3)]


# Two titles sharing the name after them ("Mr. and Mrs. Smith") are both titles: "Mr", before
# "and", was a name of the fact.
@pytest.mark.parametrize(("sentence", "named"), [
    ("Later Mr. and Mrs. Smith arrived.", {"smith"}),
    ("On Monday Mr and Mrs Smith arrived.", {"smith"}),
    ("Guests included Dr. & Mrs. Smith.", {"smith"}),
    # a surname spelt as a title, before a title written otherwise, is still a name
    ("Talks between Hun Sen and Mr. Lee ended.", {"hun", "sen", "lee"}),
    # and before one written as it is, after a name's word ("sen" was a title sharing "Lee")
    ("Talks between Hun Sen and Mr Lee ended.", {"hun", "sen", "lee"}),
    ("Talks between Prime Minister Hun Sen and Mr Lee ended.",
     {"prime", "minister", "hun", "sen", "lee"}),
    # "Sen" alone is a title and a surname: after a place's name "Mr" and "Dr" share the name
    # (they were read as a name's last word, "mr" and "dr")
    ("In London Mr and Mrs Lee signed the lease.", {"london", "lee"}),
    ("In Washington Mr. and Mrs. Obama dined on Monday.", {"washington", "obama"}),
    ("At Westminster Dr & Mrs Lee met the minister.", {"westminster", "lee"}),
    # nor does "Sen." with its full stop, which no surname takes (it was read as one, "sen")
    ("Guests included Virginia Sen. and Mrs. Warner.", {"virginia", "warner"}),
])
def test_a_title_before_another_sharing_its_name_is_no_name(sentence: str,
                                                            named: set[str]) -> None:
    assert names(sentence) == named


def test_a_surname_spelt_as_a_title_opening_a_sentence_is_read_by_its_story() -> None:
    story = ["Hun Sen and Mr Lee met on Monday.", "The talks with Hun Sen lasted an hour."]
    assert names(story[0], OpeningNames(story)) == {"hun", "sen", "lee"}


def test_a_couple_by_their_titles_and_one_by_the_full_name_is_one_fact(
        store: Store, settings: Settings, corpus: Path) -> None:
    signed = _signed_developments(store, settings, corpus, "Mr. and Mrs. Lee", "Tom Lee")
    # (it was two, 1 source each: "Mr" a name the other article never says, as "Tom" is)
    assert signed == [{"decree-1", "decree-2"}], signed


# A surname after a title is one whatever it spells, as `names` reads it: a direction, a
# colour, a nationality (it was no one, as months were until "Mrs. May").
@pytest.mark.parametrize(("sentence", "person"), [
    ("Mr. White, the chief executive, said the deal was done.", ("White", "chief executive", True)),
    ("Mr North said the deal was done.", ("North", None, True)),
    ("The deal was done, said Mrs. French.", ("French", None, True)),
])
def test_a_titled_surname_spelling_a_word_is_a_person(
        sentence: str, person: tuple[str, str | None, bool]) -> None:
    assert mentions(sentence) == [person]


def test_a_titled_surname_spelling_a_word_is_in_who_s_who() -> None:
    people = whos_who(["Mr. White, the chief executive, said the deal was done.",
                       "Mr. White said the talks would resume."])
    assert [(p.name, p.role, p.quoted, p.mentions) for p in people] == [
        ("White", "chief executive", True, 2)]


@pytest.mark.parametrize("sentence", [
    "Mr. President, the minister has failed this country.",  # a title: one addressed
    "The talks failed. North said so.",  # no title before it
])
def test_a_word_that_is_no_titled_surname_is_no_one(sentence: str) -> None:
    assert mentions(sentence) == []


@pytest.mark.parametrize(("first", "second"), [
    ("Mr. Putin", "Ms. Merkel"),
    ("Dr Lee", "Mr Kim"),
])
def test_one_template_of_two_names_under_two_titles_is_two_facts(
        store: Store, settings: Settings, corpus: Path, first: str, second: str) -> None:
    signed = _signed_developments(store, settings, corpus, first, second)
    # (it was one, citing both: each title read as a content word the other sentence lacks,
    # so that each "told something else" and the two were compared by their wording alone)
    assert sorted(signed, key=sorted) == [{"decree-1"}, {"decree-2"}], signed


# A capital letter alone after a title is a name, as a court report calls whom it may not name
# ("Mr. X", "Ms Y": it named nothing); an initial, with its full stop before a word, is none.
@pytest.mark.parametrize(("sentence", "named"), [
    ("Later Mr. X signed the decree.", {"x"}),
    ("Later Ms Y signed the decree.", {"Y"}),
    ("The decree was signed by Mr. X.", {"x"}),
    ("Later Plan B was signed.", {"plan"}),
])
def test_a_titled_letter_is_a_name(sentence: str, named: set[str]) -> None:
    assert names(sentence) == named


@pytest.mark.parametrize(("first", "second"), [("Mr. X", "Mr. Z"), ("Mr. X", "Ms. Y")])
def test_one_template_of_two_titled_letters_is_two_facts(
        store: Store, settings: Settings, corpus: Path, first: str, second: str) -> None:
    signed = _signed_developments(store, settings, corpus, first, second)
    # (it was one, citing both: neither named anything)
    assert sorted(signed, key=sorted) == [{"decree-1"}, {"decree-2"}], signed


# A titled letter spelling a stop word ("Ms A", "Mr. T") is a name as written, "A", and is
# said where an article writes it after a title, as "Ms B" is ("b"): no article said "A", so a
# sentence naming Ms A and another article's naming someone else were two facts even where
# that article writes "Ms A" too.
def test_a_titled_letter_spelling_a_stop_word_is_said_after_a_title() -> None:
    assert capitalised_stop_words("He acted for Ms A and Mr. T, his clients.") == {"A", "T"}
    assert capitalised_stop_words("He acted for Ms B and Mr. X, his clients.") == set()


@pytest.mark.parametrize("letter", ["A", "D", "B"])
def test_a_titled_letter_the_other_article_writes_keeps_one_fact(
        store: Store, settings: Settings, corpus: Path, letter: str) -> None:
    recs = [{"id": "titled", "title": "Lease", "published": "2026-11-30", "outlet": "Paper 1",
             "text": f"On Monday Ms {letter} signed the lease on the harbour warehouse. "
                     "Farmers welcomed the move."},
            {"id": "named", "title": "Lease", "published": "2026-11-30", "outlet": "Paper 2",
             "text": "On Monday Jones signed the lease on the harbour warehouse. "
                     f"He acted for Ms {letter}, his client."}]
    lease = [cited for text, cited in key_developments(store, settings, corpus, recs)
             if "lease" in text]
    # (with "Ms A" or "Ms D" it was two, 1 source each: "A" was a name no article said)
    assert lease == [{"titled", "named"}], lease


# What the third read of 2026-12-07 documents but no test held (each fails with its code
# reverted): an initial after a title is no titled letter ("Mr. J. Smith": "j" would be a
# name), and a title after a title is no surname ("said Prof. Dr. Schmidt" would quote "Dr").
def test_an_initial_after_a_title_is_no_titled_letter() -> None:
    assert "j" not in names("Later Mr. J. Smith signed the decree.")


# An initial's full stop ends no sentence, as the sentence splitter reads it: the surname after
# it is a name ("Smith" and "Bush" opened a sentence, and named nothing); before a sentence
# starter a capital letter's full stop still ends one ("Plan B. The …").
@pytest.mark.parametrize(("sentence", "named"), [
    ("Later Mr. J. Smith signed the decree.", {"smith"}),
    ("Later George W. Bush signed the decree.", {"george", "bush"}),
    ("Later J. K. Rowling signed the decree.", {"rowling"}),
    ("They chose Plan B. The decree was signed.", {"plan"}),
])
def test_a_surname_after_an_initial_is_a_name(sentence: str, named: set[str]) -> None:
    assert names(sentence) == named


def test_two_signatories_by_their_initials_are_two_facts(
        store: Store, settings: Settings, corpus: Path) -> None:
    signed = _signed_developments(store, settings, corpus, "Mr. J. Smith", "Mr. K. Jones")
    # (it was one, 2 sources: neither named anyone)
    assert sorted(map(sorted, signed)) == [["decree-1"], ["decree-2"]], signed


def test_a_title_after_a_title_is_no_surname() -> None:
    assert all(name != "Dr" for name, _, _ in
               mentions("The deal was done, said Prof. Dr. Schmidt."))
