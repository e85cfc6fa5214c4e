"""Who's who never cuts a name inside a word: a name word may have a capital after a lower-case
run ("McConnell", "MacArthur", "DeSantis", "LaGuardia"), an elided "O'"/"D'" ("O'Brien"), a
hyphen ("Ocasio-Cortez", "Smith-McCain"), accented letters ("Penélope") and particles ("Maria
De la Cruz", "Juan de la Cruz"). The name pattern read one capital and lower-case letters
per word, so the briefing listed "Mitch Mc" (of "Mitch McConnell"), "Ron De", "Fiorello La",
"Kevin Mc", and no "Conan O'Brien" at all."""

from __future__ import annotations

import re
from pathlib import Path

from bot.config import Settings
from bot.corpus.storage import Store
from bot.digest.people import mentions, whos_who
from tests.conftest import whos_who_items

SENATE = [
    ("Senate Majority Leader Mitch McConnell said the spending bill would pass on Friday. "
     "Governor Ron DeSantis said Florida would sue over the new spending rules. "
     "Conan O'Brien told reporters the late show would end its run in May."),
    ("The spending bill cleared a key vote, Senate Majority Leader Mitch McConnell said on "
     "Thursday. Mayor Fiorello LaGuardia said the airport funds in the bill were welcome. "
     "Maria De la Cruz, the city's mayor, said the harbour grant in the bill was too small."),
    ("Analyst Kevin McCarthy-Jones said the spending bill would lift bond prices this year. "
     "Rep. Alexandria Ocasio-Cortez said the spending bill left out the housing money. "
     "McConnell said he would not allow a second vote on the spending bill."),
]


def test_names_with_internal_capitals_are_whole_in_whos_who(
        store: Store, settings: Settings, corpus: Path) -> None:
    items = whos_who_items(store, settings, corpus, [
        {"id": f"s{k}", "title": f"Spending bill {k}", "outlet": f"Outlet {k}", "text": text}
        for k, text in enumerate(SENATE)])
    names = [i.text.split(",")[0] for i in items]
    for want in ("Mitch McConnell", "Ron DeSantis", "Conan O'Brien", "Fiorello LaGuardia",
                 "Maria De la Cruz", "Kevin McCarthy-Jones", "Alexandria Ocasio-Cortez"):
        assert want in names, names
    # No listed name stops inside a word of the articles' text.
    text = " ".join(SENATE)
    for name in names:
        assert re.search(rf"{re.escape(name)}(?![\w’'-]*\w)", text), name
    # "McConnell said" (a bare surname, in the third article) joins the full name.
    [mc] = [i for i in items if i.text.startswith("Mitch McConnell")]
    assert len(mc.citations) == 3, mc


def test_name_forms_are_read_whole() -> None:
    cases = {
        "Gen. Douglas MacArthur said he would return to the islands.": "Douglas MacArthur",
        "Juan de la Cruz said the water was rising.": "Juan de la Cruz",
        "Ludwig van der Rohe said the plan was sound.": "Ludwig van der Rohe",
        "President Bashar al-Assad said the army would advance.": "Bashar al-Assad",
        "Vincent D'Onofrio said he was pleased with the film.": "Vincent D'Onofrio",
        "Lech Wałęsa said the strike would go on.": "Lech Wałęsa",
        "Penélope Cruz said she was thrilled with the award.": "Penélope Cruz",
        "Kim Tae-ho, the deputy minister, said the vote was close.": "Kim Tae-ho",
    }
    for sentence, want in cases.items():
        assert [m[0] for m in mentions(sentence)] == [want], (sentence, mentions(sentence))


def test_a_name_is_never_cut_inside_a_word() -> None:
    """A word the name pattern cannot read whole ("McDONALD") gives no name rather than a cut
    one; a possessive stays no person's use."""
    assert mentions("Senator Ronald McDONALD said the vote would change.") == []
    people = whos_who(["Vladimir Putin’s aides said nothing.",
                       "Vladimir Putin, the Russian president, said the talks went well."])
    assert [p.name for p in people] == ["Vladimir Putin"]


def test_a_run_of_extended_latin_letters_is_read_in_linear_time() -> None:
    """Latin Extended-A letters (U+0100–U+017F) were both capitals and lower-case letters of the
    name pattern, so a run of them could be cut into name pieces in exponentially many ways:
    "said Ą" and 31 "ą" then "1" took 3.5 s, each letter more ~1.6 times that (an article with
    a 60-letter run held the digest for hours). Each letter is now one or the other."""
    import time
    hostile = "said Ą" + "ą" * 60 + "1 and Ab-" + "ā" * 60 + "1 said"
    started = time.monotonic()
    assert mentions(hostile) == []
    assert time.monotonic() - started < 1.0
    # Its capitals and lower-case letters are still read as such.
    assert [m[0] for m in mentions("Łukasz Żółć said the bridge would open.")] == ["Łukasz Żółć"]
    assert mentions("Senator Ąnna ąkowski said the vote would change.") == []


def test_a_long_word_of_capitals_inside_is_read_in_linear_time() -> None:
    """Every capital inside a long word ("AbAbAb…", a token of mixed case) was a start for
    the name pattern, and each start tried every shorter reading of the word, checking each
    to the word's end: 2,000 letters took 2 s (cubic). A name word starts no word's inside."""
    import time
    started = time.monotonic()
    mentions("Ab" * 5000 + " said the vote would pass.")  # (a word before "said": a surname)
    # read whole, a surname after a title ("Senator McConnell said")
    word = "Ab" * 5000 + "x"
    assert mentions(f"Senator {word} said the vote would pass.") == [(word, "Senator", True)]
    assert time.monotonic() - started < 1.0
