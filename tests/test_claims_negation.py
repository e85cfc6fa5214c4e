"""A negation disputes a claim only through what it negates: a word of the claim that the
sentence also says outside the negation's reach is asserted, not denied."""

from __future__ import annotations

from bot.text.aliases import AliasTable
from bot.text.stance import sentence_features
from tests.conftest import ask_claim, build_claim_world

ARTICLES = {
    "a.txt": "Inquiry Report\n\nA raid at the bakery ended the inquiry when the lawyer lied to the "
             "detectives, telling them they could not enter the bakery.\n"
             "The Norland envoy visited Port Elm in June but did not visit Valdoria.\n",
    "b.txt": "Market Notes\n\nGrain prices in Valdoria rose sharply after the dry summer.\n",
}


def test_a_word_said_outside_the_negation_is_not_negated():
    f = sentence_features("A raid at the bakery ended the inquiry when the lawyer lied, telling "
                          "them they could not enter the bakery.",
                          AliasTable.from_mapping({}))
    assert "bakeri" not in f.negated_terms  # said before the negation too
    assert "enter" in f.negated_terms


def test_a_negation_elsewhere_in_the_sentence_does_not_dispute_what_it_states(
        settings, store, corpus):
    world = build_claim_world(settings, store, corpus, ARTICLES)
    answer = ask_claim(world, "A raid at the bakery ended the inquiry when the lawyer lied to "
                              "the detectives.")
    assert answer.verdict == "single-source", answer


def test_a_name_said_only_under_the_negation_is_still_disputed(settings, store, corpus):
    # "visit" is said outside the negation too, but the name only under it: the sentence
    # says the opposite of the claim about that name.
    world = build_claim_world(settings, store, corpus, ARTICLES)
    answer = ask_claim(world, "The Norland envoy visited Valdoria.")
    assert answer.verdict not in ("single-source", "corroborated"), answer


def test_a_name_after_a_preposition_in_the_negations_reach_is_not_negated():
    # "not far from Valdoria" negates "far", not the place (the second reader's case: a claim
    # that the blast was near Valdoria came back contradicted).
    f = sentence_features("The blast hit a fuel depot not far from Valdoria on Monday.",
                          AliasTable.from_mapping({}))
    assert "far" in f.negated_terms and "valdoria" not in f.negated_terms
    g = sentence_features("The envoy did not visit Valdoria.", AliasTable.from_mapping({}))
    assert "valdoria" in g.negated_terms


FALSITY_ARTICLES = {
    "a.txt": "Harbour News\n\nThe Norland envoy visited Port Elm on Monday and met the mayor of "
             "the town.\n",
    "b.txt": "Market Notes\n\nGrain prices in Valdoria rose sharply after the dry summer.\n",
}


def test_a_claim_calling_a_stated_fact_false_is_contradicted(settings, store, corpus):
    world = build_claim_world(settings, store, corpus, FALSITY_ARTICLES)
    for claim in ("It is false that the Norland envoy visited Port Elm",
                  "It's not true that the Norland envoy visited Port Elm.",
                  "FALSE: the Norland envoy visited Port Elm",
                  "The claim that the Norland envoy visited Port Elm is a myth"):
        answer = ask_claim(world, claim)
        assert answer.verdict == "contradicted", (claim, answer)
        assert answer.evidence[0].stance == "disputes" and answer.evidence[0].doc_id == "a", \
            (claim, answer)
        assert "read as denying that the Norland envoy visited Port Elm" in answer.note, answer


def test_calling_a_negation_false_asserts_it(settings, store, corpus):
    world = build_claim_world(settings, store, corpus, FALSITY_ARTICLES)
    answer = ask_claim(world, "It is false that the Norland envoy did not visit Port Elm")
    assert answer.verdict == "single-source", answer


def test_a_moral_judgement_is_no_falsity():
    from bot.text.stance import falsity
    assert falsity("It is wrong that the envoy visited Port Elm") == (
        "It is wrong that the envoy visited Port Elm", False)
    assert falsity("It is false that X") == ("It is false that X", False)  # nothing left to say


def test_used_to_is_a_tense_not_a_word_of_the_claim():
    from bot.text.stance import clean_claim, parse_claim
    aliases = AliasTable.from_mapping({})

    def units(text):
        plain, tags = clean_claim(text)
        return [u.text for u in parse_claim(plain, aliases.analyze(plain), aliases, tags).units]

    assert "used" not in units("The council used to fund the harbour school")
    assert "used" in units("Coal is used to make steel in Valdoria")  # passive: someone uses it


def test_a_hyphenated_first_word_is_no_falsity_label_and_a_curly_apostrophe_is_read():
    from bot.text.stance import falsity
    for claim in ("Fake-news law passed in Valdoria", "False-flag attack claimed in Port Elm",
                  "Myth-busting website launched by the council"):
        assert falsity(claim) == (claim, False)
    assert falsity("FALSE - the envoy visited Port Elm") == ("the envoy visited Port Elm", True)
    assert falsity("It\u2019s not true that the envoy visited Port Elm") == (
        "the envoy visited Port Elm", True)


def test_a_passive_with_an_adverb_keeps_used():
    from bot.text.stance import clean_claim, parse_claim
    aliases = AliasTable.from_mapping({})
    for claim in ("The tunnel was reportedly used to smuggle weapons into Valdoria",
                  "Drones are also used to smuggle drugs into prisons"):
        plain, tags = clean_claim(claim)
        units = [u.text for u in parse_claim(plain, aliases.analyze(plain), aliases, tags).units]
        assert "used" in units, (claim, units)


DENIAL = {
    "club.txt": "Club Statement\n\nPort Calder United on Monday denied reports that manager "
                "Miriam Kole had been sacked after the cup final.\n",
    "b.txt": "Market Notes\n\nGrain prices in Valdoria rose sharply after the dry summer.\n",
}


def test_a_denial_of_what_a_negated_claim_negates_agrees_with_it(settings, store, corpus):
    # "Kole was not sacked" is what the club's denial says: it was read as disputing the
    # claim ("denies it"), as it disputes "Kole was sacked". Found by an exploratory test
    # session.
    world = build_claim_world(settings, store, corpus, DENIAL)
    negated = ask_claim(world, "Miriam Kole was not sacked after the cup final.")
    assert not any(e.stance == "disputes" for e in negated.evidence), negated
    plain = ask_claim(world, "Miriam Kole was sacked after the cup final.")
    assert any(e.stance == "disputes" for e in plain.evidence), plain
    assert plain.verdict == "contested", plain


CONTRAST = {
    "cup.txt": "Cup Final\n\nHarrowgate Rovers beat Port Calder United 3-1 in the Northern Cup "
               "final on Sunday.\n\nJonas Ekberg, not Elias Varga, scored Harrowgate's third goal, "
               "the club said.\n",
    "b.txt": "Market Notes\n\nGrain prices in Valdoria rose sharply after the dry summer.\n",
}


def test_a_contrasting_not_negates_only_its_aside():
    # "X, not Y, did it" negates Y, not what was done: "scored" was within three words of
    # "not", so the sentence disputed that Ekberg scored it ("says the opposite"). Found by
    # an exploratory test session.
    a = AliasTable.from_mapping({})
    f = sentence_features("Jonas Ekberg, not Elias Varga, scored Harrowgate's third goal.", a)
    assert "varga" in f.negated_terms and "score" not in f.negated_terms
    g = sentence_features("Jonas Ekberg did not score Harrowgate's third goal.", a)
    assert "score" in g.negated_terms


def test_the_one_named_in_a_contrast_is_its_source(settings, store, corpus):
    world = build_claim_world(settings, store, corpus, CONTRAST)
    answer = ask_claim(world, "Jonas Ekberg scored Harrowgate's third goal.")
    assert not any(e.stance == "disputes" for e in answer.evidence), answer
    assert answer.verdict == "single-source", answer


def test_a_negated_claim_a_denial_states_is_contested(settings, store, corpus):
    # The denial states "Kole was not sacked", and reports that someone said she was: the
    # claim is contested, as "Kole was sacked" is (83be58c made it single-source: the denial
    # was read as stating it, and the report it denies was not found as a source). Found by
    # an exploratory test session.
    world = build_claim_world(settings, store, corpus, DENIAL)
    negated = ask_claim(world, "Miriam Kole was not sacked after the cup final.")
    assert negated.verdict == "contested", negated
    assert [e.stance for e in negated.evidence if e.doc_id == "club"] == ["supports"], negated


def test_an_aside_ends_only_its_own_negation():
    # The aside's end ended every negation of the sentence: "did not, as reported, sack"
    # lost its negation in a sentence holding a ", not X," before it (a second read of the
    # change found it).
    a = AliasTable.from_mapping({})
    f = sentence_features("Ekberg, not Varga, scored; the club did not, as reported, sack Kole.",
                          a)
    assert "sack" in f.negated_terms and "score" not in f.negated_terms


def test_a_claim_with_a_contrasting_aside_is_not_negated(settings, store, corpus):
    # "Jonas Ekberg, not Elias Varga, scored …" as a claim was read as negated, and the
    # sentence stating that Ekberg scored it contradicted it.
    world = build_claim_world(settings, store, corpus, CONTRAST)
    answer = ask_claim(world, "Jonas Ekberg, not Elias Varga, scored Harrowgate's third goal.")
    assert answer.verdict == "single-source", answer


LONG_ARTICLES = {
    "a.txt": "Summit Report\n\nThe leaders signed the new harbour agreement at Orlov Square amid "
             "elaborate ceremonies, underscoring the bond.\nOrlov and Dahl met in Port Elm on "
             "Monday.\n",
    "b.txt": "Harbour News\n\nEnvoy Orlov has signed a harbour pact with Norland leader Dahl on "
             "his trip to Valdoria.\n",
}


def test_a_long_claim_called_false_is_never_supported_by_part_of_it(settings, store, corpus):
    # A long claim is supported by a sentence stating part of it (`judge_long`), whose own
    # negations it does not read; "It is false that X" negates all of X, so that sentence
    # does not support it (it was single-source, as X is).
    world = build_claim_world(settings, store, corpus, LONG_ARTICLES)
    claim = ("Orlov and Dahl signed the new harbour pact in person during Orlov's trip to "
             "Valdoria.")
    assert ask_claim(world, claim).verdict == "single-source"
    for called_false in (f"It is false that {claim}", f"It is not the case that {claim}"):
        answer = ask_claim(world, called_false)
        assert answer.verdict not in ("single-source", "corroborated"), answer
        assert not any(e.stance == "supports" for e in answer.evidence), answer
    # Calling a negation false asserts it: read as X, it keeps X's support.
    answer = ask_claim(world, "It is false that Orlov and Dahl did not sign the new harbour pact "
                              "in person during Orlov's trip to Valdoria.")
    assert answer.verdict == "single-source", answer


SCOPE_ARTICLES = {
    "a.txt": "Aid Report\n\nNorland's aid to Valdoria is not limited to grain; it also includes "
             "fuel trucks.\n",
    "b.txt": "Market Notes\n\nFerry fares in Port Elm rose sharply after the dry summer.\n",
}


def test_a_claim_negating_another_word_than_the_sentence_is_disputed(settings, store, corpus):
    # Both negate, each another word: the claim says the aid is limited to grain (and denies
    # the trucks), the sentence that it is not. Either side negating was read as agreement
    # (single-source, seeds-new's h26).
    world = build_claim_world(settings, store, corpus, SCOPE_ARTICLES)
    answer = ask_claim(world, "Norland's aid to Valdoria is limited to grain, with no fuel trucks "
                              "involved.")
    assert answer.verdict == "contradicted", answer
    # Negating the same word still agrees.
    answer = ask_claim(world, "Norland's aid to Valdoria is not limited to grain.")
    assert answer.verdict == "single-source", answer


def test_a_claims_negation_does_not_reach_a_place_after_a_preposition(settings, store, corpus):
    # "No one in Port Elm was injured": the claim's negation was read as reaching "Port" (its
    # three words after "No"), which a sentence's never does after a preposition; the
    # sentence negating "injure" then negated another word than the claim (contradicted).
    world = build_claim_world(settings, store, corpus, {
        "a.txt": "Fire Report\n\nThe warehouse fire on Dock Street did not injure anyone in Port "
                 "Elm, the fire brigade said.\n",
        "b.txt": "Market Notes\n\nFerry fares in Valdoria rose sharply after the dry summer.\n"})
    answer = ask_claim(world, "No one in Port Elm was injured by the warehouse fire on Dock "
                              "Street.")
    assert answer.verdict == "single-source", answer


def test_negations_reaching_other_words_of_one_clause_tell_one_denial(settings, store, corpus):
    # "did not vote for the bill" and "did not get the senator's vote": the roles turned, each
    # negation reaches another word ("vote", "Senator"), and that was read as opposites
    # (contradicted). Only a word the claim says in a clause apart from its negation, negated
    # by the sentence, states the opposite (the aid "limited to grain, with no fuel trucks").
    world = build_claim_world(settings, store, corpus, {
        **SCOPE_ARTICLES,
        "c.txt": "Senate Report\n\nThe harbour bill did not get Senator Marta Dahl's vote on "
                 "Tuesday.\n"})
    answer = ask_claim(world, "Senator Marta Dahl did not vote for the harbour bill on "
                              "Tuesday.")
    assert answer.verdict == "single-source", answer
    answer = ask_claim(world, "Norland's aid to Valdoria is limited to grain, with no fuel trucks "
                              "involved.")
    assert answer.verdict == "contradicted", answer
