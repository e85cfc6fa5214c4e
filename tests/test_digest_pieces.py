"""A run of words without end punctuation (a transcript's), cut by the splitter into pieces of
at most 40 words, gives the digest no key development: each piece starts or ends mid-sentence,
and the key developments are whole sentences (README, Digests)."""

from __future__ import annotations

import json
from pathlib import Path

from bot.config import Settings
from bot.corpus.reload import reload_corpus
from bot.corpus.segment import MAX_SENTENCE_WORDS, cut_pieces, split_sentences
from bot.corpus.storage import Store
from bot.digest.build import build_digest

TRANSCRIPT = (
    "The harbour crews worked through the night to clear the wreck of the cargo ship Northern "
    "Star while the coast guard kept boats away from the pier and the mayor Elena Brask met the "
    "owners of the ship to talk about who would pay for the cleanup and the damage to the pier "
    "and the fishing fleet of Port Elm which lost nets worth 40000 euros in the storm that hit "
    "the town on Monday night and left the old quay flooded and the ferry service stopped for "
    "two days while engineers checked the bridge")
REPORT = ("A storm hit Port Elm on Monday night and flooded the old quay. The cargo ship Northern "
          "Star ran aground near the pier, the coast guard said. The ferry service was stopped "
          "for two days.")


def test_the_pieces_of_a_cut_sentence_are_known_as_such() -> None:
    assert len(TRANSCRIPT.split()) > MAX_SENTENCE_WORDS
    paragraph = split_sentences(f"{REPORT} {TRANSCRIPT}. The bridge reopened on Friday.")
    pieces = [s for s, cut in zip(paragraph, cut_pieces(paragraph), strict=True) if cut]
    assert len(pieces) == 3 and " ".join(pieces) == TRANSCRIPT + "."
    assert not any(cut_pieces(split_sentences(REPORT)))
    assert cut_pieces(split_sentences(TRANSCRIPT)) == [True, True, True]


def test_a_piece_of_a_cut_sentence_is_no_key_development(
        store: Store, settings: Settings, corpus: Path) -> None:
    recs = [{"id": "transcript", "title": "Storm transcript", "published": "2026-11-30",
             "text": TRANSCRIPT},
            {"id": "report", "title": "Storm hits Port Elm", "published": "2026-11-30",
             "text": REPORT}]
    (corpus / "a.jsonl").write_text("\n".join(json.dumps(r) for r in recs) + "\n",
                                    encoding="utf-8")
    assert not reload_corpus(store, settings, [corpus]).rejected
    d = build_digest(store, settings)
    items = [it.text for s in d.sections for it in s.items]
    # (the pieces were 3 of the 5 key developments: "quay flooded and the ferry service …")
    assert items and all(text in REPORT for text in items), items


def test_a_piece_cut_after_a_word_ending_in_end_punctuation_is_known_as_such() -> None:
    # A run with no sentence boundary may hold end punctuation mid-sentence (before a lower-case
    # word): cut right after one, a piece ended as a whole sentence does, and neither it nor
    # the piece after it (starting mid-sentence) was known.
    words = TRANSCRIPT.split()
    run = " ".join([*words[:39], '"why?"', *words[39:78], "U.S.", *words[78:]]) + "."
    paragraph = split_sentences(f"{REPORT} {run} The bridge reopened on Friday.")
    pieces = [s for s, cut in zip(paragraph, cut_pieces(paragraph), strict=True) if cut]
    assert pieces[0].endswith('"why?"') and pieces[1].endswith("U.S.")
    assert " ".join(pieces) == run
    assert cut_pieces(split_sentences(run)) == [True] * len(pieces)
