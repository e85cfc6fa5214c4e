"""A wire's credit line — "(Reporting by Ann Lee; Editing by Tom Hart)", "Reporting by X in Y;
Writing by Z; Editing by W", "Additional reporting by …", "Compiled by …", a sign-off "-- AP",
"Contact: …" — is chrome: the digest showed it as a key development "(1 source)" and the claim
lookup took it as supporting evidence for "Ann Lee reported … Tom Hart edited". It is dropped
when the article is cleaned (its outlet still credited: "-- AP" names the Associated Press),
and the digest never briefs one a database stored before."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from bot.config import Settings
from bot.corpus.cleaning import is_chrome
from bot.corpus.storage import Store
from bot.digest.build import build_digest
from tests.conftest import ask_claim, build_claim_world, store_of_documents

CREDITS = [
    "(Reporting by Ann Lee; Editing by Tom Hart)",
    "Reporting by Ann Lee in Port Elm; Writing by Bob Stone; Editing by Tom Hart",
    "(Reporting by Gabriel Stargardter in Rio de Janeiro and Reuters staff; Editing by Leslie Adler)",
    "Additional reporting by Maria Petrova in Varna",
    "[Additional reporting by Sean O'Neil]",
    "Compiled by the Beijing newsroom",
    "Reporting and writing by Ann Lee",
    "(Writing by Jean-Baptiste Vey. Editing by Tom Hart.)",
    "REPORTING BY ANN LEE; EDITING BY TOM HART",
    "-- AP",
    "— The Associated Press",
    "Contact: Ann Lee, ann.lee@example.com",
]
# Sentences that open like a credit but go on as text, and lines that are not credits.
TEXT = [
    "Reporting by the Guardian revealed the plan on Monday.",
    "Editing by the committee took months.",
    "Compiled by hand, the list was short.",
    "Additional reporting by local journalists showed the toll rose.",
    "Reporting by Ann Lee; the minister said it had failed",
    "Contact with the rebels was lost on Monday.",
    "-- the talks failed again",
    "By Jane Doe",
    "Written by Jane Doe",
]

LIGHTHOUSE = """Harbour authority approves lighthouse

PORT ELM, Nov 20 (Reuters) - The Harbour Authority of Port Elm approved a 40 million dollar \
lighthouse for the northern pier on Monday.

Fishermen had asked the authority for a new light for years after two trawlers ran aground in \
the fog.

Construction is due to begin in March and will take eighteen months, the authority said. \
(Additional reporting by Bob Stone)

(Reporting by Ann Lee in Port Elm; Writing by Bob Stone; Editing by Tom Hart)
"""

STORM = """Storm closes Varna port

A storm closed the port of Varna on Tuesday and cut power to twelve thousand homes, officials \
said.

Ferries to the islands were cancelled until Thursday, the port authority said in a statement.

Compiled by Maria Petrova

-- AP
"""

CREDIT_WORDS = ("reporting by", "editing by", "writing by", "compiled by", "-- ap")


def assert_chrome_exactly(check: Callable[[str], bool], chrome: Iterable[str],
                          text: Iterable[str]) -> None:
    """`check` and `is_chrome` hold of every line of `chrome`, neither of any line of `text`."""
    for line in chrome:
        assert check(line), line
        assert is_chrome(line), line
    for line in text:
        assert not check(line), line
        assert not is_chrome(line), line


def test_a_line_that_is_only_a_credit_is_chrome() -> None:
    from bot.corpus.cleaning import is_credit_line

    assert_chrome_exactly(is_credit_line, CREDITS, TEXT)


def test_credit_lines_are_no_development_timeline_item_or_evidence(
        store: Store, settings: Settings, corpus: Path) -> None:
    world = build_claim_world(settings, store, corpus, {"a.txt": LIGHTHOUSE, "b.txt": STORM})
    texts = [s["text"] for s in store.sentences(kind="body")]
    assert not [t for t in texts if any(w in t.lower() for w in CREDIT_WORDS)], texts
    # The sentence a credit followed on its line is kept.
    assert ("Construction is due to begin in March and will take eighteen months, the "
            "authority said.") in texts
    digest = build_digest(store, settings)
    items = [it.text for sec in digest.sections for it in sec.items]
    assert items and not [t for t in items if any(w in t.lower() for w in CREDIT_WORDS)], items
    # The sign-off still credits its outlet.
    storm = next(d for d in store.documents() if d["title"] == "Storm closes Varna port")
    assert "Associated Press" in storm["outlets"], storm
    result = ask_claim(world, "Ann Lee reported from Port Elm and Tom Hart edited")
    assert not [e.sentence for e in result.evidence
                if any(w in e.sentence.lower() for w in CREDIT_WORDS)], result.evidence
    assert result.verdict == "not-found", result


def test_a_credit_line_stored_before_is_not_briefed(tmp_path: Path, settings: Settings) -> None:
    """A database loaded before credit lines were chrome keeps them (an unchanged file is not
    read again): the digest still never briefs one."""
    store, _ = store_of_documents(tmp_path / "old.db", {
        "lighthouse": ["The Harbour Authority of Port Elm approved a 40 million dollar "
                       "lighthouse for the northern pier on Monday.",
                       "Fishermen had asked the authority for a new light for years after two "
                       "trawlers ran aground in the fog.",
                       "(Reporting by Ann Lee in Port Elm; Writing by Bob Stone; Editing by "
                       "Tom Hart)"]})
    try:
        digest = build_digest(store, settings)
        items = [it.text for sec in digest.sections for it in sec.items]
        assert any("lighthouse" in t for t in items), items
        assert not [t for t in items if "Reporting by" in t], items
    finally:
        store.close()


def test_a_quotations_attribution_beside_it_is_kept() -> None:
    """A dash and a name after a sentence on its line is a quotation's attribution, not a
    wire's sign-off; a credit after a sentence goes."""
    from bot.corpus.article import parse_article
    from bot.corpus.metadata import OutletCatalog

    catalog = OutletCatalog.load(Path(__file__).resolve().parent.parent / "config" / "outlets.txt")
    article = parse_article(
        "Talks fail\n\n\"We will win the war before winter comes.\" — Vladimir Putin\n\n"
        "The talks failed on Monday after three hours, officials said. (Reporting by Ann Lee; "
        "Editing by Tom Hart)\n", "d", catalog)
    assert [s.text for s in article.sentences] == [
        "\"We will win the war before winter comes.\" — Vladimir Putin",
        "The talks failed on Monday after three hours, officials said."]


# Photo captions: a line ending with a photo credit, or one that is only a credit.
CAPTIONS = [
    "(Courtesy of the U.S. State Department)",
    "The real U.S. Embassy in Ghana. (Courtesy of the State Department)",
    "Exterior of the embassy in Accra, Ghana (U.S. Department of State photo)",
    "Rescuers search the rubble in Gaza City. (AP Photo/Abdel Kareem Hana)",
    "Protesters march in Paris on Saturday. (Photo: Jane Doe/USA TODAY)",
    "Protesters march in Paris on Saturday. Photo credit: Jane Doe",
    "Protesters march in Paris on Saturday. (Jane Doe/AFP via Getty Images)",
    "A man walks past a damaged building in Kyiv, Ukraine, June 3, 2024. REUTERS/Ivan Petrenko",
    "Rex, one of the kennel's sled dogs, was hurt. (Ann Lee Kennels) (Ann Lee Kennels)",
    "This undated photo shows Rex, a dog hurt on Saturday,... (Associated Press)",
]
# Brackets and credit words in an article's sentences.
NOT_CAPTIONS = [
    "ANCHORAGE, Alaska (AP) — A man was arrested in a Yukon River village.",
    "The minister met officials of the Ghana Police Force (GPF).",
    "The agency released the photos on Monday, courtesy of a leak.",
    "Courtesy calls were made to the embassy on Monday.",
    "He posted a photo of the flag on Facebook.",
    "The war began in 2022 (Russia invaded Ukraine).",
    "The talks failed, the minister said. (Reuters)",
    "MOSCOW/SEOUL, June 19 (Reuters) – Russian President Vladimir Putin has signed a pact.",
    "The photos show the damage, officials said.",
]

KENNEL = """Snowmobile hits sled dog teams near Nulato

Ann Lee Kennels Rex, one of the kennel's sled dogs, was killed by a snowmobile. (Ann Lee \
Kennels)

A man drove a snowmobile into the dog teams of two mushers near Nulato on Saturday, race \
officials said.

Troopers arrested the driver late on Saturday morning in the village of Nulato, race officials \
said.

The fake clinic outside Nulato. (Courtesy of the Alaska State Troopers)
"""

KENNEL_2 = """Driver arrested after snowmobile hits Iditarod dog teams

A man drove a snowmobile into the dog teams of two mushers near Nulato on Saturday, troopers \
said.

The driver was arrested late on Saturday morning in the village of Nulato, troopers said.

The village of Nulato on the Yukon River. (Courtesy of the Alaska State Troopers)
"""


def test_a_photo_captions_line_is_chrome() -> None:
    from bot.corpus.cleaning import is_caption_line

    assert_chrome_exactly(is_caption_line, CAPTIONS, NOT_CAPTIONS)


def test_photo_captions_are_no_development_person_or_evidence(
        store: Store, settings: Settings, corpus: Path) -> None:
    """news_dev: "(Courtesy of the U.S. State Department)" was the Accra story's only key
    development at 30 words, and Who's who listed "Husky Homestead Nash, Jeff King" from a
    caption credited to "(Jeff King Husky Homestead)"."""
    world = build_claim_world(settings, store, corpus, {"a.txt": KENNEL, "b.txt": KENNEL_2})
    texts = [s["text"] for s in store.sentences(kind="body")]
    assert not [t for t in texts if "Courtesy" in t or "Rex" in t], texts
    digest = build_digest(store, settings)
    items = [it.text for sec in digest.sections for it in sec.items]
    assert items and not [t for t in items if "Courtesy" in t or "Rex" in t], items
    result = ask_claim(world, "The Alaska State Troopers photographed the village of Nulato")
    assert not [e.sentence for e in result.evidence if "Courtesy" in e.sentence], result.evidence


def test_a_caption_credit_stored_before_is_not_briefed(tmp_path: Path, settings: Settings) -> None:
    store, _ = store_of_documents(tmp_path / "old.db", {
        "embassy": ["A fake U.S. embassy in Accra issued visas for a decade, the State "
                    "Department said on Friday.",
                    "Fake passports and documents were seized in the raids.",
                    "(Courtesy of the U.S. State Department)"]})
    try:
        digest = build_digest(store, settings, words=30)
        items = [it.text for sec in digest.sections for it in sec.items]
        assert not [t for t in items if "Courtesy" in t], items
    finally:
        store.close()


@pytest.mark.parametrize("line", ["CNN / MSNBC News Alert", "Kyiv / Moscow talks resume",
                                  "Yes / No: The Vote Explained",
                                  "Marilyn Monroe Funeral Photograph",
                                  "McDonald's/WalMart Application",
                                  "Martha Raddatz/ABC News Interview",
                                  "Drinking Bleach Prevents HIV/AIDS",
                                  "FDA/Facebook Donations for National Hunger Awareness Month"])
def test_a_headline_is_no_photo_credit(line: str) -> None:
    # "REUTERS/Ann Lee" is a credit; a headline of names and a picture word, or of words
    # around a slash, is not, out of brackets: CheckThat's verified claim "CNN / MSNBC News
    # Alert" (title and text) lost every line to cleaning and was rejected ("no article
    # text left after cleaning"), and 38 others lost their title.
    from bot.corpus.cleaning import is_caption_line

    assert not is_caption_line(line)
    assert is_caption_line("REUTERS/Ann Lee")
