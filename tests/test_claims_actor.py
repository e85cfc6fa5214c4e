"""A claim's capitalised first word that the corpus writes as a name ("Putin") is who the
claim is about: a sentence that lacks it and names someone else ("Sergei Marov ... visited
Valdoria in July") does not state the claim. A capitalised common noun ("Investigators",
which the corpus writes in lower case) is no name."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.corpus.storage import Store
from tests.conftest import ask_claim, build_claim_world

ARTICLES = {
    "a_wire.txt": """Summit in Valdoria

Russian President Vladimir Putin visited Valdoria in June, his first trip there in 24 years.
Putin met the leaders of Valdoria for talks on trade.
""",
    "b_paper.txt": """Defense Visit

In a surprising move, Sergei Marov, the Norland defense minister, visited Valdoria in July.
Marov toured a weapons exhibition in the capital with Norland officers.
""",
    "c_wire.txt": """Raids in Port Elm

Investigators seized 150 passports in the raids in Port Elm, police said.
The investigators were acting on a tip from Norland.
""",
    "d_paper.txt": """Passport Raids

Officers in Port Elm seized 150 passports in the raids, officials in Norland said.
""",
}


@pytest.fixture
def world(settings: Settings, store: Store, corpus: Path) -> tuple[Store, Settings]:
    return build_claim_world(settings, store, corpus, ARTICLES)


def supporting_docs(answer) -> set[str]:
    return {e.doc_id for e in answer.evidence if e.stance == "supports"}


def assert_supported_by_one_of(settings, store, corpus, more: dict[str, str], claim: str
                               ) -> None:
    """Over ARTICLES and `more`, the claim is single-source, and one of `more`'s articles
    supports it."""
    world = build_claim_world(settings, store, corpus, {**ARTICLES, **more})
    answer = ask_claim(world, claim)
    assert answer.verdict == "single-source", answer
    written = tuple(name.removesuffix(".txt") for name in more)
    assert any(d.startswith(written) for d in supporting_docs(answer)), answer


def test_another_persons_visit_does_not_state_the_claim(world):
    answer = ask_claim(world, "Putin visited Valdoria")
    assert not any(d.startswith("b_paper") for d in supporting_docs(answer))
    assert answer.verdict == "single-source"


def test_another_persons_visit_in_another_month_is_no_support_for_that_month(world):
    answer = ask_claim(world, "Putin visited Valdoria in July")
    assert not any(d.startswith("b_paper") for d in supporting_docs(answer))
    assert answer.verdict in ("not-found", "contradicted")


def test_a_capitalised_common_noun_is_no_name(world):
    # "Investigators" is written in lower case by the corpus ("The investigators were ..."):
    # the other outlet's "Officers ... seized 150 passports" may still state it.
    answer = ask_claim(world, "Investigators seized 150 passports in the raids")
    assert any(d.startswith("c_wire") for d in supporting_docs(answer))
    assert any(d.startswith("d_paper") for d in supporting_docs(answer))


def test_a_first_name_is_part_of_the_name_after_it(world):
    # "Sergei Marov": the name unit is "Marov"; "Sergei", though the corpus writes it as a
    # name, need not be in a sentence that names Marov.
    answer = ask_claim(world, "Sergei Marov toured a weapons exhibition in the capital")
    assert any(d.startswith("b_paper") for d in supporting_docs(answer))


@pytest.mark.parametrize("claim", ["putin visited valdoria in july",
                                   "PUTIN VISITED VALDORIA IN JULY",
                                   "Putin Visited Valdoria In July"])
def test_a_claim_without_case_of_its_own_gets_the_same_rule(world, claim):
    # Typed in lower case, shouted, or a headline read in lower case: the first word is
    # still the name the corpus writes ("Putin"), so Marov's visit does not state it.
    answer = ask_claim(world, claim)
    assert not any(d.startswith("b_paper") for d in supporting_docs(answer))
    assert answer.verdict in ("not-found", "contradicted")


def test_names_typed_in_lower_case_are_names(world):
    # "sergei marov" is written as a name by every sentence that holds it: the claim names
    # two people and claims nothing about them, as "Putin and Sergei Marov" does.
    answer = ask_claim(world, "putin and sergei marov")
    assert answer.verdict == "not-found"
    assert "names things" in answer.note
    # a headline in Title Case is looked up (no names-only answer), and states nothing either
    assert ask_claim(world, "Putin And Sergei Marov").verdict == "not-found"


TITLED = {
    **ARTICLES,
    "b_paper.txt": """Putin and Marov: Unlikely Partners

In a surprising move, Sergei Marov, the Norland defense minister, visited Valdoria in July.
Marov toured a weapons exhibition in the capital with Norland officers.
""",
}


def test_a_title_naming_the_claims_actor_does_not_make_another_persons_visit_theirs(
        settings: Settings, store: Store, corpus: Path) -> None:
    # The title says whom the article is about, not who did what its sentences tell: with
    # Putin in the title, Marov's July visit stated "Putin visited Valdoria in July".
    world = build_claim_world(settings, store, corpus, TITLED)
    for claim in ("Putin visited Valdoria in July", "putin visited valdoria in july"):
        answer = ask_claim(world, claim)
        assert not any(d.startswith("b_paper") for d in supporting_docs(answer)), claim
        assert answer.verdict in ("not-found", "contradicted"), claim
    assert ask_claim(world, "Marov visited Valdoria in July").verdict == "single-source"


@pytest.mark.parametrize("claim", ["Lavrov visited Valdoria in June",
                                   "lavrov visited valdoria in june",
                                   "LAVROV VISITED VALDORIA IN JUNE",
                                   "Biden met the leaders of Valdoria for talks on trade",
                                   # (names the sentence model's vocabulary holds, the subject
                                   # of the verb after them: they were stated)
                                   "Obama met the leaders of Valdoria for talks on trade",
                                   "Boris visited Valdoria in June",
                                   "boris visited valdoria in june",
                                   "\"Boris\" visited Valdoria in June, officials said",
                                   "Boris would visit Valdoria in June",
                                   "Sergey visited Valdoria in July"])
def test_a_name_the_corpus_never_mentions_is_not_stated_by_someone_elses_deed(world, claim):
    # A first word no document uses that is no word of the language (WordNet does not know
    # it, nor the sentence model's vocabulary, or it is the subject of a verb and WordNet's
    # glosses do not write it) is a name the corpus lacks: Putin's visit does not state that
    # Lavrov (or Biden, Obama, Boris) made it, nor Marov's Sergey's.
    answer = ask_claim(world, claim)
    assert not supporting_docs(answer), answer
    assert answer.verdict == "not-found"


@pytest.mark.parametrize("claim", [
    "Detectives seized 150 passports in the raids in Port Elm",  # a WordNet noun
    "Taskforce officers seized 150 passports in the raids in Port Elm",  # two run together
    "Everyone seized 150 passports in the raids in Port Elm",  # a word of the vocabulary
    "Whoever seized 150 passports in the raids in Port Elm",  # (before a verb: the glosses')
    # (words of the vocabulary WordNet lacks, but before no verb, or a break after it)
    "Amongst them, officers seized 150 passports in the raids in Port Elm",
])
def test_a_word_of_the_language_the_corpus_lacks_is_no_name(world, claim):
    # No document uses the first word, but it is no name: "Officers in Port Elm seized 150
    # passports …, officials in Norland said" still states the claim.
    answer = ask_claim(world, claim)
    assert any(d.startswith("d_paper") for d in supporting_docs(answer)), answer


@pytest.mark.parametrize("claim", ["Amongst other trips, Putin visited Valdoria in June",
                                   "Albeit in June, Putin visited Valdoria",
                                   # (a verb's form second, "growing", but a break before
                                   # the next name: an opening phrase)
                                   "Amongst growing concerns, Putin visited Valdoria in June",
                                   "Amongst growing concerns \u2013 Putin visited Valdoria in June",
                                   "amongst growing concerns, putin visited valdoria in june",
                                   "Whichever way Putin visited Valdoria in June"])
def test_an_opening_word_before_the_claims_name_is_no_name(world, claim):
    # "Amongst", "Albeit": no document uses them, WordNet lacks them and its glosses never
    # write them; but no verb follows them ("growing" may be one, but the clause
    # breaks off before the next name, or anywhere in a claim of one case): the claim is
    # about Putin, whom "Russian President Vladimir Putin visited Valdoria in June" names (read
    # as about "Amongst", that sentence, opening with a name, "Russian", was someone else's).
    answer = ask_claim(world, claim)
    assert any(d.startswith("a_wire") for d in supporting_docs(answer)), answer


def test_without_the_vocabulary_a_word_wordnet_lacks_is_no_name(world, tmp_path, monkeypatch):
    # The sentence model's vocabulary unreadable (its tokenizer file missing or damaged):
    # every first word WordNet lacks was read as a name the corpus never mentions, "Everyone"
    # too. Without it nothing is known not to be a word, as without the WordNet table.
    from bot.claims import lookup
    from bot.search import minilm

    monkeypatch.setattr(minilm, "MODEL_DIR", tmp_path)
    lookup._word_pieces.cache_clear()
    try:
        answer = ask_claim(world, "Everyone seized 150 passports in the raids in Port Elm")
    finally:
        lookup._word_pieces.cache_clear()
    assert any(d.startswith("d_paper") for d in supporting_docs(answer)), answer


IN_PARTS = {
    "e_wire.txt": """Hospitals Hit

Cyber-attacks crippled three hospitals in Port Elm last week, officials said.
The hospitals had to turn away patients.
""",
    "f_paper.txt": """Shopping

E-commerce sales rose 20 percent in Valdoria last year, the ministry said.
Tele health visits rose 40 percent in Norland during the pandemic, insurers said.
""",
}


@pytest.mark.parametrize("claim", ["Cyberattacks crippled three hospitals in Port Elm",
                                   "cyberattacks crippled three hospitals in port elm",
                                   "Ecommerce sales rose 20 percent in Valdoria",
                                   "Telehealth visits rose 40 percent in Norland"])
def test_a_first_word_the_corpus_writes_in_parts_is_a_word_it_uses(settings, store, corpus,
                                                                   claim):
    # "Cyber-attacks", "E-commerce", "Tele health": the corpus uses the claim's first word,
    # hyphenated or spaced, though no document has it as one term and neither WordNet nor the
    # vocabulary knows it. It was read as a name the corpus never mentions: not-found.
    assert_supported_by_one_of(settings, store, corpus, IN_PARTS, claim)


SPELLED_OUT = {
    "g_wire.txt": """Arrests

Federal Bureau of Investigation agents arrested 12 people in Port Elm on Friday.
They were charged.
""",
    "h_paper.txt": """Loan

The International Monetary Fund lent Valdoria 3 billion dollars to shore up its currency.
The loan was welcomed.
""",
}


@pytest.mark.parametrize("claim", ["FBI agents arrested 12 people in Port Elm on Friday",
                                   "fbi agents arrested 12 people in port elm on friday",
                                   "IMF lent Valdoria 3 billion dollars to shore up its currency"])
def test_a_first_word_the_corpus_spells_out_is_a_name_it_mentions(settings, store, corpus,
                                                                   claim):
    # "FBI", "IMF": WordNet writes them only capitalised (names), and no document uses them,
    # but a sentence found spells them out ("Federal Bureau of Investigation agents
    # arrested ..."): the corpus mentions the name. They were not-found.
    assert_supported_by_one_of(settings, store, corpus, SPELLED_OUT, claim)


def test_a_claim_that_was_not_looked_up_does_not_also_say_no_sentence_bears_on_it(world):
    # "/claim Putin" said it claims nothing, then "No sentence of the corpus bears on this
    # claim", as if Putin were in no article.
    from bot.chat.render_markdown import render_text
    from bot.claims.lookup import answer_to_reply

    for claim in ("Putin", "普京"):
        shown = render_text(answer_to_reply(ask_claim(world, claim)))
        assert "No sentence of the corpus bears" not in shown, shown
    shown = render_text(answer_to_reply(ask_claim(world, "Putin visited Mars in 1990")))
    assert "Not found" in shown or "not-found" in shown.lower()


PEOPLES_AND_NEW_WORDS = {
    "k_wire.txt": "Front\n\nKurdish fighters seized the town of Valdor after a week of shelling.\n"
                  "The town was quiet.\n",
    "p_paper.txt": "Election\n\nTexas voters rejected the new water tax in a referendum.\n"
                   "Turnout was low.\n",
    "g_wire.txt": "Outbreak\n\nThe coronavirus killed 300 people in Valdoria in March.\n"
                  "Hospitals were full.\n",
    "j_paper.txt": "Health\n\nE-cigarettes caused 12 deaths among teenagers in Norland.\n"
                   "Doctors were alarmed.\n",
}


@pytest.mark.parametrize(("claim", "doc"), [
    ("Kurds seized the town of Valdor after a week of shelling", "k_wire"),  # a people
    ("Texans rejected the new water tax in a referendum", "p_paper"),
    ("COVID killed 300 people in Valdoria in March", "g_wire"),  # newer than WordNet
    ("Vaping caused 12 deaths among teenagers in Norland", "j_paper"),
])
def test_a_people_or_a_new_word_the_corpus_says_in_other_words_is_stated(
        settings, store, corpus, claim, doc):
    # WordNet writes a people or a faith capitalised, as a class ("Kurd", "Texan"): a word
    # of the language, no name. And a word newer than WordNet and the vocabulary ("COVID")
    # is read as a name, but only a sentence naming someone else is kept from stating it:
    # "The coronavirus killed 300 people in Valdoria" names no one the claim does not.
    world = build_claim_world(settings, store, corpus, PEOPLES_AND_NEW_WORDS)
    answer = ask_claim(world, claim)
    assert any(d.startswith(doc) for d in supporting_docs(answer)), answer


def test_a_name_the_claim_says_something_is_is_no_rival_actor(settings, store, corpus):
    # "was a 2016 Ski-Doo" names what the snowmachine was, not who did it: sentences on the
    # attack that name the mushers made it "contradicted" ("names jeff, king … rather than
    # Ski Doo"), on a claim one source states.
    world = build_claim_world(settings, store, corpus, {
        "a_wire.txt": "Attack on the trail\n\nA snowmachine hit the teams of Jeff King and "
                      "Aliy Zirkle near Kessel.\nThe snowmachine that hit the teams broke down "
                      "near Kessel, troopers said.\nThe 2016 Ski-Doo was missing a cowling, or "
                      "hood.\n",
        "b_paper.txt": "Teams hit near Kessel\n\nThe snowmachine hit the teams of King and "
                       "Zirkle on the trail near Kessel on Saturday.\n",
    })
    answer = ask_claim(world, "The snowmachine that hit the teams was a 2016 Ski-Doo.")
    assert answer.verdict != "contradicted", answer
    assert not any("rather than Ski" in (e.reason or "") for e in answer.evidence)


def test_a_name_as_the_doer_is_still_a_rival_actor(world):
    # (the predicate rule is for "is a …" only: another actor of the same deed still counts)
    answer = ask_claim(world, "Putin visited Valdoria in July")
    assert not any(d.startswith("b_paper") for d in supporting_docs(answer))


# A claim opening with a title or a first name before the name: the name is who it is about.
MINISTER = {
    "b_paper.txt": """Defense Visit

Sergei Marov, the Russian defense minister, visited Valdoria in July.
""",
}


VISITORS = {
    "a_wire.txt": """Visitors

Artyom Lukin, a professor, visited Valdoria in June.
""",
    "b_paper.txt": """Lectures

Ramon Pacheco Pardo teaches at Kingsbridge College in Norland.
""",
}


@pytest.mark.parametrize("claim", ["Ramon Pacheco Pardo visited Valdoria in June",
                                   "Professor Ramon Pacheco Pardo visited Valdoria in June"])
def test_an_opening_name_of_several_words_is_not_stated_by_someone_elses_deed(
        settings, store, corpus, claim):
    # The name the claim opens with, after a first name or a title, is who it is about, as
    # "Putin" is in "Putin visited …": Lukin's visit stated Pacheco Pardo's.
    world = build_claim_world(settings, store, corpus, VISITORS)
    answer = ask_claim(world, claim)
    assert not any(d.startswith("a_wire") for d in supporting_docs(answer)), answer
    assert answer.verdict == "not-found", answer
    assert ask_claim(world, "Artyom Lukin visited Valdoria in June").verdict == "single-source"


@pytest.mark.parametrize("claim", ["Russian President Vladimir Putin visited Valdoria in June",
                                   "President Vladimir Putin visited Valdoria in June"])
def test_another_persons_deed_with_another_value_disputes_nothing(settings, store, corpus, claim):
    # Marov's July visit is another event (another doer, another month), no other account of
    # a June visit by Putin: the claim was contradicted ("July rather than June"; a title
    # before the name left the claim without a name to be about).
    world = build_claim_world(settings, store, corpus, MINISTER)
    answer = ask_claim(world, claim)
    assert answer.verdict == "not-found", answer
    assert not any(e.stance == "disputes" for e in answer.evidence), answer


def test_the_same_persons_deed_with_another_value_still_disputes(settings, store, corpus):
    world = build_claim_world(settings, store, corpus, MINISTER)
    for claim in ("Russian Defence Minister Sergei Marov visited Valdoria in June",
                  "Sergei Marov visited Valdoria in June"):
        answer = ask_claim(world, claim)
        assert answer.verdict == "contradicted", answer
        assert "July rather than June" in answer.evidence[0].reason, answer


QUOTED = {
    "a_wire.txt": """Valdoria and Norland

"Valdoria will become Norland's closest ally in the region," Artyom Lukin said.
""",
    "b_paper.txt": """Trade talks

Officials from Valdoria and Norland met on Monday, Ramon Pacheco Pardo said.
""",
}


@pytest.mark.parametrize("claim", [
    "Ramon Pacheco Pardo said Valdoria will become Norland's closest ally in the region.",
    "Pacheco Pardo said Valdoria will become Norland's closest ally in the region."])
def test_the_same_words_said_by_someone_else_still_dispute(settings, store, corpus, claim):
    # Another doer alone, with the claim's words: who said it is disputed (as before), while
    # an opening name of several words is who the claim is about.
    world = build_claim_world(settings, store, corpus, QUOTED)
    answer = ask_claim(world, claim)
    assert any(e.stance == "disputes" and "Artyom, Lukin" in (e.reason or "")
               for e in answer.evidence), answer
    assert answer.verdict in ("contested", "contradicted"), answer


def test_another_month_told_of_the_claims_actor_in_other_words_still_disputes(
        settings: Settings, store: Store, corpus: Path) -> None:
    # "The Russian leader" names no one outside the alias table's countries and peoples: it
    # may be Putin told another way, so its August is another account of the visit.
    world = build_claim_world(settings, store, corpus, {
        **MINISTER,
        "e_paper.txt": """Leader in Valdoria

The Russian leader visited Valdoria in August, officials said.
""",
    })
    answer = ask_claim(world, "Russian President Vladimir Putin visited Valdoria in June")
    assert [e.doc_id[:7] for e in answer.evidence if e.stance == "disputes"] == ["e_paper"]
    assert answer.verdict == "contradicted", answer


HONORIFIC_ARTICLES = {
    "a.txt": "Envoy Report\n\nNorland envoy Orlov signed the fishing accord in Port Elm on "
             "Monday.\n",
    "b.txt": "Harbour News\n\nFormer minister Andrei Kozyrev says that Orlov is not desperate.\n",
    "c.txt": "Market Notes\n\nGrain prices in Valdoria rose sharply after the dry summer.\n",
}


@pytest.mark.parametrize("typed", ["Mr. Orlov", "Mr Orlov", "Dr. Orlov", "Ms Orlov"])
def test_a_courtesy_title_before_a_name_names_no_one(settings, store, corpus, typed):
    # "Mr" was a word of the name no document uses: "Mr. Orlov" was a name the corpus never
    # mentions, and the claim came back not-found (in the seeds world, contradicted).
    world = build_claim_world(settings, store, corpus, HONORIFIC_ARTICLES)
    plain = ask_claim(world, "Andrei Kozyrev says Orlov is not desperate.")
    assert plain.verdict == "single-source", plain
    answer = ask_claim(world, f"Andrei Kozyrev says {typed} is not desperate.")
    assert (answer.verdict, answer.sources) == (plain.verdict, plain.sources), answer


def test_a_courtesy_title_is_read_only_before_a_name():
    # "DR Congo" (capitals) and "Sir" ending the text are no courtesy titles.
    from bot.text.aliases import load_aliases
    from bot.text.stance import is_honorific

    aliases = load_aliases(Path("config/aliases.toml"))
    for text, title in (("Mr. Orlov left", "Mr"), ("said Dr Vance", "Dr"),
                        ("DR Congo voted", None), ("Thank you, Sir", None),
                        ("Ms Harris spoke", "Ms")):
        words = aliases.analyze(text).words
        found = [w.orig for i, w in enumerate(words) if is_honorific(words, i)]
        assert found == ([title] if title else []), text


TITLE_ARTICLES = {
    "a.txt": "Envoy Report\n\nOrlov visited Port Elm on Monday to sign the fishing accord.\n"
             "The talks had lasted two days.\n",
    "c.txt": "Market Notes\n\nGrain prices in Valdoria rose sharply after the dry summer.\n",
}


@pytest.mark.parametrize("titled", ["Russian President Orlov", "Russian envoy Orlov",
                                    "President Orlov", "Norland envoy Orlov"])
def test_a_title_before_a_name_says_who_it_is_not_what_happened(settings, store, corpus,
                                                                  titled):
    # "Russian" (Russia, a place) before a title was a name of the claim that the sentence
    # calling Orlov by name alone does not give: the claim came back not-found.
    world = build_claim_world(settings, store, corpus, TITLE_ARTICLES)
    plain = ask_claim(world, "Orlov visited Port Elm on Monday.")
    assert plain.verdict == "single-source", plain
    answer = ask_claim(world, f"{titled} visited Port Elm on Monday.")
    assert (answer.verdict, answer.sources) == (plain.verdict, plain.sources), (titled, answer)


def test_only_a_title_right_before_a_name_is_left_out_of_the_claim():
    from bot.text.aliases import load_aliases
    from bot.text.stance import parse_claim

    aliases = load_aliases(Path("config/aliases.toml"))

    def units(text: str) -> list[str]:
        return [u.text for u in parse_claim(text, aliases.analyze(text), aliases, set()).units]

    kept = units("Russian President Vladimir Putin visited North Korea in June 2024.")
    assert "Russian" not in kept and "President" not in kept and "Vladimir Putin" in kept
    assert "leader" not in units("North Korean leader Kim Jong Un met Putin.")
    # Someone's name before a title stays ("Trump"), as does a title with no name after it,
    # and a capitalised title no concept covers is a word of the name, as it was.
    assert "Trump" in units("Putin told Trump adviser Witkoff to leave.")
    assert {"Russian", "president"} <= set(units("The Russian president visited Pyongyang."))
    assert "Foreign Minister Andrei Kozyrev" in units(
        "Former Russian Foreign Minister Andrei Kozyrev says Putin is not desperate.")


FULL_NAME_ARTICLES = {
    "a.txt": "Envoy Report\n\nKing signed the fishing accord in Port Elm on Monday, while Marov "
             "watched.\nThe talks had lasted two days.\n",
    "b.txt": "Harbour News\n\nOrlov estimated the ferry was doing 30 knots when it hit the pier.\n",
    "c.txt": "Market Notes\n\nGrain prices in Valdoria rose sharply after the dry summer.\n",
}


@pytest.mark.parametrize(("short", "full"), [
    ("King signed the fishing accord in Port Elm.",
     "Jeff King signed the fishing accord in Port Elm."),
    ("Orlov estimated the ferry was doing 30 knots when it hit the pier.",
     "Ivan Orlov estimated the ferry was doing 30 knots when it hit the pier."),
    ("Orlov estimated the ferry was doing 50 knots when it hit the pier.",
     "Ivan Orlov estimated the ferry was doing 50 knots when it hit the pier."),
])
def test_a_claim_opening_with_a_full_name_reads_as_the_family_name(settings, store, corpus,
                                                                   short, full):
    # The given name opening a claim was a plain word the sentences calling him "King" do not
    # write, and "King" a name of its own: "Jeff King signed ..." came back not-found.
    world = build_claim_world(settings, store, corpus, FULL_NAME_ARTICLES)
    plain = ask_claim(world, short)
    assert plain.verdict in ("single-source", "contradicted"), plain
    answer = ask_claim(world, full)
    assert (answer.verdict, answer.sources) == (plain.verdict, plain.sources), (full, answer)


def test_only_a_given_name_opening_a_claim_is_read_with_the_name():
    from bot.text.aliases import load_aliases
    from bot.text.stance import parse_claim

    aliases = load_aliases(Path("config/aliases.toml"))

    def units(text: str) -> list[tuple[str, str]]:
        return [(u.kind, u.text)
                for u in parse_claim(text, aliases.analyze(text), aliases, set()).units]

    assert units("Jeff King estimated the speed.")[0] == ("entity", "Jeff King")
    # A word of the language opening the claim stays a word ("Trump" is one to WordNet), and
    # so does a people ("Canadian").
    assert ("word", "Trump") in units("Trump Tower is tall.")
    assert ("entity", "Richard Brunt") in units("Canadian Richard Brunt wrote a letter.")


def test_a_rival_actor_is_named_as_the_sentence_writes_it(settings, store, corpus):
    # The reason named the sentence's other names by their stems ("names putin, welcom rather
    # than South Koreans", an exploratory tester's finding).
    world = build_claim_world(settings, store, corpus, {
        "a.txt": "Crowds in Pyongyang\n\nThousands of North Koreans lined the streets, waving "
                 "flags and chanting “Welcome Marov.”\n",
        "b.txt": "Market Notes\n\nGrain prices in Norland rose sharply after the dry summer.\n",
    })
    answer = ask_claim(world, "Thousands of South Koreans lined the streets.")
    reasons = [e.reason for e in answer.evidence if e.reason and "rather than" in e.reason]
    assert reasons == ["names Marov, Welcome rather than South Koreans"], answer


OPENING_RIVAL = {
    "a.txt": "Race Report\n\nMara Kessel reached Port Elm at about 3:25 a.m. on Saturday, race "
             "officials said.\n",
    "b.txt": "Trail Notes\n\nOrlov pulled into Port Elm at about 2:17 a.m. on Saturday.\n\n"
             "Race officials said Orlov rested there for four hours.\n",
    "c.txt": "Market Notes\n\nGrain prices in Valdoria rose sharply after the dry summer.\n",
}


@pytest.mark.parametrize("claim", ["Kessel pulled into Port Elm at 3:25 a.m. on Saturday.",
                                   "Mara Kessel pulled into Port Elm at 3:25 a.m. on Saturday."])
def test_another_time_of_a_sentence_opening_with_someone_else_disputes_nothing(
        settings: Settings, store: Store, corpus: Path, claim: str) -> None:
    # The name opening the sentence is no name by its capital, so it was not among the
    # sentence's names, and Orlov's arrival time disputed Kessel's ("2.17 rather than 3.25":
    # contradicted, news-new's k07). Another doer's value is another event.
    world = build_claim_world(settings, store, corpus, OPENING_RIVAL)
    answer = ask_claim(world, claim)
    assert not any(e.stance == "disputes" for e in answer.evidence), answer
    assert answer.verdict in ("single-source", "not-found"), answer
    # The claim's own doer with another time still disputes.
    answer = ask_claim(world, "Mara Kessel reached Port Elm at about 5:40 a.m. on Saturday.")
    assert answer.verdict == "contradicted", answer


OPENING_BODY = {
    "a.txt": "Race Report\n\nMara Kessel led the Brask Cup field on Friday after a fast run "
             "along the coast. Brask officials said she reached Port Elm at about 2:17 a.m. on "
             "Saturday.\n",
    "c.txt": "Market Notes\n\nGrain prices in Valdoria rose sharply after the dry summer.\n",
}


def test_a_name_opening_before_its_people_is_no_other_doer(
        settings: Settings, store: Store, corpus: Path) -> None:
    # "Brask officials said she …": the sentence opens with officials it does not name; the
    # name is their body's. It was read as another doer, so the sentence (she, Kessel, named
    # the sentence before) neither stated Kessel's arrival at 2:17 nor disputed one at 3:25.
    world = build_claim_world(settings, store, corpus, OPENING_BODY)
    answer = ask_claim(world, "Mara Kessel reached Port Elm at 2:17 a.m. on Saturday.")
    assert answer.verdict == "single-source", answer
    answer = ask_claim(world, "Mara Kessel reached Port Elm at 3:25 a.m. on Saturday.")
    assert answer.verdict == "contradicted", answer


@pytest.mark.parametrize("opening", ["— ", "– ", "«"])
def test_a_name_opening_a_list_item_is_read_as_opening_the_sentence(
        settings: Settings, store: Store, corpus: Path, opening: str) -> None:
    # A list's dash, or a French quotation mark, before the name: the claim lookup
    # read a sentence's first word after quotation marks and brackets only, so "— Orlov pulled
    # into …" opened with no name and Orlov's time disputed Kessel's (contradicted). It reads
    # a text's opening as the digest does now (`segment.first_word`).
    rival = {**OPENING_RIVAL,
             "b.txt": OPENING_RIVAL["b.txt"].replace("\n\nOrlov", f"\n\n{opening}Orlov", 1)}
    world = build_claim_world(settings, store, corpus, rival)
    answer = ask_claim(world, "Mara Kessel pulled into Port Elm at 3:25 a.m. on Saturday.")
    assert not any(e.stance == "disputes" for e in answer.evidence), answer
    assert answer.verdict in ("single-source", "not-found"), answer
