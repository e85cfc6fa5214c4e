"""Number and date formats written one way before matching (`bot.text.words.normalise_formats`):
an abbreviated month, a zero decimal or a thousands separator is the same slot as the plain
form, so it neither goes missing nor conflicts."""

from __future__ import annotations

from bot.text.aliases import load_aliases
from bot.text.stance import parse_claim
from bot.text.words import cased_words, normalise_formats, numbers, tokens
from tests.conftest import ask_claim, build_claim_world

ALIASES = load_aliases(None)


def test_formats_fold_to_one_form():
    assert tokens("on Feb. 21") == tokens("on February 21")
    assert tokens("Sept 5, 2024") == tokens("September 5, 2024")
    assert tokens("a best estimate of 3.0 C") == tokens("a best estimate of 3 C")
    assert tokens("1,000 troops") == tokens("1000 troops")
    assert numbers("2.0 to 4.50 and 1,500") == {"2", "4.50", "1500"}
    assert ("february", "February") in cased_words("Feb. 21")
    # Not a month: no number follows; a version string keeps its parts.
    assert normalise_formats("Jan Smith said") == "Jan Smith said"
    assert normalise_formats("version 3.0.1") == "version 3.0.1"


ARTICLES = {
    "a.txt": "Accord Report\n\nNorland signed the fishing accord with Valdoria on February 21 "
             "in Port Elm.\nThe accord limits catches to 3 tonnes a boat.\n",
    "b.txt": "Market Notes\n\nGrain prices in Valdoria rose sharply after the dry summer.\n",
}


def test_an_abbreviated_date_and_a_zero_decimal_match_the_plain_forms(settings, store, corpus):
    world = build_claim_world(settings, store, corpus, ARTICLES)
    assert ask_claim(world, "Norland signed the fishing accord on Feb. 21.").verdict \
        == "single-source"
    assert ask_claim(world, "The accord limits catches to 3.0 tonnes a boat.").verdict \
        == "single-source"


def test_amounts_are_written_one_way():
    """A decimal is one number, a scale word is multiplied in and a currency sign is the
    currency's name after the amount."""
    assert [w for w, _ in cased_words("warming of 1.5 degrees")] == ["warming", "of", "1.5",
                                                                    "degrees"]
    assert cased_words("2.5 million people") == cased_words("2,500,000 people")
    assert cased_words("five million people") == cased_words("5 million people")
    assert [w for w, _ in cased_words("They charged $6,000.")] == ["they", "charged", "6000",
                                                                  "dollars"]
    assert [w for w, _ in cased_words("€3.5bn in aid")] == ["3500000000", "euros", "in", "aid"]
    assert [w for w, _ in cased_words("US$5 million")] == ["us", "5000000", "dollars"]
    assert [w for w, _ in cased_words("in the 1990s, CO2 at 400ppm")] == [
        "in", "the", "1990s", "co2", "at", "400ppm"]


AMOUNTS = {
    "a.txt": "Visa Fraud Report\n\nThe Valdoria consulate charged its applicants $6,000 for a "
             "visa.\nThe accord limits warming to 1.5 degrees.\nThe fund received 2.5 million "
             "dollars last year.\n",
    "b.txt": "Market Notes\n\nGrain prices in Valdoria rose sharply after the dry summer.\n",
}


def test_an_amount_is_one_number_with_its_currency(settings, store, corpus):
    world = build_claim_world(settings, store, corpus, AMOUNTS)
    # "1.5" was two numbers, "1" and "5": a sentence on 1.5 degrees stated 5 degrees.
    assert ask_claim(world, "The accord limits warming to 5 degrees.").verdict != "single-source"
    assert ask_claim(world, "The accord limits warming to 1.5 degrees.").verdict \
        == "single-source"
    # "$10,000" against "$6,000": another amount of the same currency for the same charge.
    answer = ask_claim(world, "The Valdoria consulate charged its applicants $10,000 for a visa.")
    assert answer.verdict == "contradicted"
    assert ask_claim(world, "The fund received $2,500,000 last year.").verdict == "single-source"


def test_a_time_of_day_is_one_number_in_24_hours():
    assert [w for w, _ in cased_words("at about 3:25 a.m.")] == ["at", "about", "3.25", "h"]
    assert cased_words("at 2:17 p.m.") == cased_words("at 14:17")
    assert cased_words("at 3 p.m.") == cased_words("at 3:00 PM") == cased_words("at 15:00")
    assert [w for w, _ in cased_words("I am 5")] == ["i", "am", "5"]
    # Without a.m./p.m., only after a word that takes a time (the second reader's cases).
    assert [w for w, _ in cased_words("by 9:15 the")] == ["by", "9.15", "h", "the"]
    assert [w for w, _ in cased_words("John 3:16")] == ["john", "3", "16"]
    assert [w for w, _ in cased_words("won 10:15")] == ["won", "10", "15"]
    assert [w for w, _ in cased_words("at 10:30:15")] == ["at", "10", "30", "15"]
    # The hour's symbol a text writes is no time (the "h" of one): a duration's hours, a label.
    assert cased_words("for 3 h.") == cased_words("for 3 hours.")
    assert [w for w, _ in cased_words("held in Block 4 H")] == ["held", "in", "block", "4h"]
    # ... joined to the number by a hyphen too.
    assert cased_words("after a 3-h drive") == cased_words("after a 3 hours drive")
    assert [w for w, _ in cased_words("the 4-H club")] == ["the", "4h", "club"]


def test_the_hours_symbol_after_a_clocks_hour_is_a_time_where_no_duration_is_written_so():
    # "at 10 h" and "15.30 h" were "at 10 hours" and "15.30 hours", durations; "at 15:30 h"
    # was "at 15.30 h hours".
    assert cased_words("at 10 h") == cased_words("at 10:00")
    assert [w for w, _ in cased_words("à 10 h")] == ["a", "10", "h"]  # (accents dropped)
    assert cased_words("at 15.30 h") == cased_words("at 15:30 h") == cased_words("at 3:30 p.m.")
    assert cased_words("opened 15.30 h") == cased_words("opened 3:30 p.m.")
    # Its minutes after the symbol are the clock's: "at 9 h 30" was 9:00 and a number 30.
    assert cased_words("at 9 h 30") == cased_words("at 9:30 a.m.")
    assert cased_words("at 21 h 15, police") == cased_words("at 9:15 p.m., police")
    assert cased_words("for 3 h 30 min") == cased_words("for 3 hours 30 min")
    # A duration where one may be written so: no "at", or no clock's two-digit hour.
    for text in ("for 3 h", "for 1.5 h", "for 2.25 h", "after 2 h of talks", "at 24 h",
                 "at 1.5 h",
                 # the hours from an event after "at" (were 6:00, noon and 2:00)
                 "at 6 h after dosing", "at 12 h post-infection", "at 2 h into the flight"):
        assert cased_words(text) == cased_words(text.replace(" h", " hours")), text


def test_a_wires_clock_before_a_zone_in_brackets_is_a_time_of_day():
    # "(1900 GMT)" was the year 1900, and a sentence telling the time in two zones gave one.
    assert cased_words("at 10 p.m. Kyiv time (1900 GMT)") == cased_words(
        "at 10 p.m. Kyiv time (7 p.m. GMT)")
    assert cased_words("(0030 UTC)") == cased_words("(12:30 a.m. UTC)")
    for text in ("2000 MT of steel", "the 1200 CT scans", "in 1900 GMT was set", "(2000 mt)"):
        assert "h" not in [w for w, _ in cased_words(text)], text


def test_a_range_of_hours_gives_its_first_end_the_half_of_the_day():
    # "between 3 and 5 p.m." was "between 3 and 17.00 h": a bare 3, the range read "by 5 p.m.".
    assert cased_words("between 3 and 5 p.m.") == cased_words("between 3 p.m. and 5 p.m.")
    assert cased_words("between 3:30 and 5 PM") == cased_words("between 3:30 p.m. and 5 p.m.")
    # The first hour the later: the other half ("11 a.m. to 1 p.m.", "10 p.m. to 2 a.m.").
    assert cased_words("between 11 and 1 p.m.") == cased_words("between 11 a.m. and 1 p.m.")
    assert cased_words("between 10 and 2 a.m.") == cased_words("between 10 p.m. and 2 a.m.")
    assert cased_words("between 12 and 2 p.m.") == cased_words("between 12 p.m. and 2 p.m.")
    # To 12, noon's or midnight's: from the morning to midnight (was 6 a.m. to noon).
    assert cased_words("between 6 and 12 p.m.") == cased_words("between 6 a.m. and 12 a.m.")
    assert cased_words("between 6 and 12 a.m.") == cased_words("between 6 a.m. and 12 a.m.")
    # Not a 12 with its minutes, nor noon or midnight, which tell their half of the day (were 11
    # a.m. to 0:30, 9 a.m. to midnight and 9 a.m. to midnight).
    assert cased_words("from 11 to 12:30 p.m.") == cased_words("from 11 a.m. to 12:30 p.m.")
    assert cased_words("from 9 to 12 midnight") == cased_words("from 9 p.m. to midnight")
    assert cased_words("from 9 to noon") == cased_words("from 9 a.m. to noon")
    # "from ... to" alike (its first end was a bare 3: 3 a.m.).
    assert cased_words("from 3 to 5 p.m.") == cased_words("from 3 p.m. to 5 p.m.")
    assert cased_words("from 10 to 2 a.m.") == cased_words("from 10 p.m. to 2 a.m.")
    assert [w for w, _ in cased_words("between 2 and 4 teams")] == ["between", "2", "and", "4",
                                                                     "teams"]


def test_a_time_of_day_in_words_is_its_hour():
    # "3:25 in the morning" was the numbers 3 and 25, "noon" and "midnight" no time at all, so
    # "around midnight" was stated by "around noon".
    assert cased_words("at 3:25 in the morning") == cased_words("at 3:25 a.m.")
    assert cased_words("at 7 in the evening") == cased_words("at 19:00")
    assert cased_words("at 2 in the afternoon") == cased_words("at 2 p.m.")
    assert cased_words("around noon Saturday") == cased_words("around 12 p.m. Saturday")
    assert cased_words("by 12 noon") == cased_words("by noon")
    assert [w for w, _ in cased_words("around midnight")] == ["around", "0", "h"]
    # Not a time: a part of the day alone, a word holding "noon", a name.
    for text in ("in the afternoon", "afternoon tea", "the Midnight Sun Express"):
        assert "h" not in [w for w, _ in cased_words(text)], text


def test_a_whole_hour_or_midnight_in_words_is_a_time_only_after_a_word_that_takes_one():
    # "on June 9 in the evening" was "June 21.00 h" (the date lost), "killed 5 in the morning
    # raid" an hour, "under the midnight sun" 0.00 h; "at", "to" or "past" before one makes
    # it a time, as minutes or "o'clock" do.
    for text in ("on June 9 in the evening", "killed 5 in the morning raid",
                 "under the midnight sun", "burning the midnight oil", "a showdown at high noon"):
        assert "h" not in [w for w, _ in cased_words(text)], text
    assert [w for w, _ in cased_words("on June 9 in the evening")][:3] == ["on", "june", "9"]
    assert cased_words("at 7 in the evening") == cased_words("at 7 p.m.")
    assert cased_words("7 o'clock in the evening") == cased_words("7 p.m.")
    assert cased_words("from 7:30 a.m. to noon") == cased_words("from 7:30 a.m. to 12 p.m.")
    assert cased_words("well past midnight") == cased_words("well past 12 a.m.")
    assert cased_words("from 9:30 to 11:45") == cased_words("from 9:30 a.m. to 11:45 a.m.")


def test_a_date_or_the_midnight_sun_is_no_time_of_day(settings, store, corpus):
    # "on May 9 in the afternoon" was read "May 21.00 h": the claim lost its date and the
    # sentence that states it no longer did; "the midnight sun" disputed "at 3 a.m.".
    world = build_claim_world(settings, store, corpus, {
        "a.txt": "Court Report\n\nThe judge in Kessler County sentenced the smuggler Ivan Petrak "
                 "on May 9.\n",
        "c.txt": "Alaska Life\n\nUnder the midnight sun, the musher Brent Sass reached Nome on "
                 "Tuesday.\n",
        "b.txt": "Market Notes\n\nGrain prices in Valdoria rose sharply after the dry summer.\n"})
    assert ask_claim(world, "The judge in Kessler County sentenced the smuggler Ivan Petrak on "
                            "May 9 in the afternoon.").verdict == "single-source"
    assert ask_claim(world, "Brent Sass reached Nome at 3 a.m. on Tuesday.").verdict \
        != "contradicted"


def test_another_time_of_day_in_words_conflicts(settings, store, corpus):
    world = build_claim_world(settings, store, corpus, {
        "a.txt": "Ferry Report\n\nThe Norland ferry reached Port Elm around noon on Saturday.\n",
        "b.txt": "Market Notes\n\nGrain prices in Valdoria rose sharply after the dry summer.\n"})
    assert ask_claim(world, "The Norland ferry reached Port Elm around midnight on "
                            "Saturday.").verdict == "contradicted"
    assert ask_claim(world, "The Norland ferry reached Port Elm at 12 p.m. on "
                            "Saturday.").verdict == "single-source"


def test_a_number_after_a_label_word_is_no_hour():
    # "No. 10 PM Rishi Sunak": PM is the prime minister, 10 the house number (was 22.00 h).
    for label in ("No.", "no.", "No", "Nos.", "#", "number", "Number"):
        words = [w for w, _ in cased_words(f"{label} 10 PM Rishi Sunak")]
        assert "22" not in words and "h" not in words, (label, words)
    assert [w for w, _ in cased_words("No. 10 pm")] == ["no", "10", "pm"]
    # A time still reads as one after any other word, and lower-case "no" is the word.
    assert [w for w, _ in cased_words("at 10 PM Rishi Sunak")] == ["at", "22", "h", "rishi",
                                                                    "sunak"]
    assert [w for w, _ in cased_words("Bruno 10 pm")] == ["bruno", "22", "h"]
    assert [w for w, _ in cased_words("no 5 p.m. deadline")] == ["no", "17", "h", "deadline"]


TIMES = {
    "a.txt": "Ferry Report\n\nThe Norland ferry reached Port Elm at about 2:17 a.m. on "
             "Saturday.\n",
    "b.txt": "Market Notes\n\nGrain prices in Valdoria rose sharply after the dry summer.\n",
}


def test_another_time_of_day_conflicts(settings, store, corpus):
    world = build_claim_world(settings, store, corpus, TIMES)
    assert ask_claim(world, "The Norland ferry reached Port Elm at about 3:25 a.m. on "
                            "Saturday.").verdict == "contradicted"
    assert ask_claim(world, "The Norland ferry reached Port Elm at 2:17 AM on Saturday.").verdict \
        == "single-source"


def test_currency_scales_and_years_before_scale_words():
    # The second reader's cases: "$5m" was "5", "dollarsm"; a year before "billion" was
    # multiplied in ("2020000000000"), and its conflict read so.
    assert cased_words("$5m") == cased_words("$5 million") == cased_words("5,000,000 dollars")
    assert [w for w, _ in cased_words("€5k in aid")] == ["5000", "euros", "in", "aid"]
    assert [w for w, _ in cased_words("In 2020 billion-dollar firms grew")][:2] == ["in",
                                                                                     "2020"]
    assert [w for w, _ in cased_words("5m people")] == ["5m", "people"]  # metres, maybe
    assert cased_words("5 hundred thousand") == cased_words("five hundred thousand")


def test_a_number_word_after_and_is_a_number(settings, store, corpus):
    # "... and five counts": the run the number pattern finds starts with the sentence's
    # "and", which left the whole run as words, so "five" was never 5.
    assert [w for w, _ in cased_words("two fines and five counts")] == ["2", "fines", "and", "5",
                                                                       "counts"]
    assert [w for w, _ in cased_words("bread and one egg")] == ["bread", "and", "one", "egg"]
    assert cased_words("one hundred and five") == cased_words("105")
    world = build_claim_world(settings, store, corpus, {
        "a.txt": "Court Report\n\nThe man faces two counts of theft and five counts of fraud in "
                 "Port Elm.\n"})
    answer = ask_claim(world, "The man faces six counts of fraud in Port Elm.")
    assert answer.verdict == "contradicted"


def test_an_ordinal_is_a_value_like_a_number(settings, store, corpus):
    # "third place" against "second place": another value of the same slot, as "three
    # tonnes" against "two tonnes" is. "first" stays a word (mostly an adverb: "first said").
    assert [w for w, _ in cased_words("left in third place, the 21st and Twelfth")] == [
        "left", "in", "3rd", "place", "the", "21st", "and", "12th"]
    assert [w for w, _ in cased_words("she first said")] == ["she", "first", "said"]
    # a compound ordinal is one value; after a number, "second" is the unit of time
    assert [w for w, _ in cased_words("in twenty-first place")] == ["in", "21st", "place"]
    assert [w for w, _ in cased_words("a 20-second delay, a twenty second wait")] == [
        "a", "20", "second", "delay", "a", "20", "second", "wait"]
    world = build_claim_world(settings, store, corpus, {
        "a.txt": "Race Report\n\nAfter a nine-minute rest in Port Elm, Mara Lind left again in "
                 "second place.\n",
        "b.txt": "Race Notes\n\nMara Lind reached Port Elm and left in 2nd place after a rest.\n"})
    assert ask_claim(world, "After a rest in Port Elm, Mara Lind left in third place."
                     ).verdict == "contradicted"
    assert ask_claim(world, "After a rest in Port Elm, Mara Lind left in second place."
                     ).verdict == "corroborated"


def test_a_fraction_is_no_ordinal():
    # "a fifth of its personnel" is a share, not the 5th: as an ordinal it was a value the
    # claim's evidence had to give, and one that "left in second place" conflicted with.
    assert [w for w, _ in cased_words("as much as a fifth of its personnel")] == [
        "as", "much", "as", "a", "fifth", "of", "its", "personnel"]
    assert [w for w, _ in cased_words("One tenth of the budget, a third term")] == [
        "one", "tenth", "of", "the", "budget", "a", "3rd", "term"]
    # ("the fifth of November" is then a day of a month, written as dates are: "5 November")
    assert [w for w, _ in cased_words("the fifth of November, Tuna fifth of")] == [
        "5", "november", "tuna", "5th", "of"]
    plain = "A fifth of the mushers left Port Elm in second place."
    parsed = parse_claim(plain, ALIASES.analyze(plain), ALIASES, set())
    assert "5th" not in {u.text for u in parsed.units}
    assert "2nd" in {u.text for u in parsed.units}


def test_what_a_number_counts_is_the_phrase_after_of(settings, store, corpus):
    # "five counts of fifth degree criminal mischief" counts criminal mischief (the phrase
    # after "of", past an ordinal and modifiers, to its end), so it is another number of the
    # claim's "six counts of criminal mischief"; "two counts of third degree assault, one
    # count ..." counts assault, not the claim's quantity.
    world = build_claim_world(settings, store, corpus, {
        "a.txt": "Court Report\n\nIn Port Elm, Mara Lind faces two counts of third degree "
                 "assault and five counts of fifth degree criminal mischief.\n"})
    answer = ask_claim(world, "In Port Elm, Mara Lind faces six counts of criminal mischief.")
    assert answer.verdict == "contradicted"
    assert any("5 rather than 6" in (e.reason or "") for e in answer.evidence)
    assert not any("2" in (e.reason or "").split(" rather")[0] for e in answer.evidence)


def test_the_same_number_counting_something_else_does_not_state_it(settings, store, corpus):
    # "two counts of third degree assault" is no "two counts of criminal mischief".
    world = build_claim_world(settings, store, corpus, {
        "a.txt": "Court Report\n\nIn Port Elm, Mara Lind faces two counts of third degree "
                 "assault and one count of criminal mischief.\n"})
    answer = ask_claim(world, "In Port Elm, Mara Lind faces two counts of criminal mischief.")
    assert answer.verdict not in ("single-source", "corroborated")
    assert not any(e.stance == "supports" for e in answer.evidence)


def test_a_formula_split_by_subscripts_is_one_word():
    """A page's "CO<sub>2</sub>" flattened to "CO 2" is the word "CO2" again, since WordNet
    knows it; letters and a digit WordNet does not know as one word stay apart."""
    assert tokens("atmospheric CO 2 rose") == tokens("atmospheric CO2 rose")
    assert [w for w, _ in cased_words("H 2 O and CO 2, methane")] == ["h2o", "and", "co2",
                                                                      "methane"]
    assert tokens("the US 2 million") == ["us", "2", "million"]
    assert tokens("CH 4 emissions") == ["ch", "4", "emiss"]  # no "ch4" in WordNet
    assert tokens("PM 2.5 levels") == ["pm", "2", "5", "level"]  # a decimal is no subscript
    assert tokens("CO 25 ppm") == ["co", "25", "ppm"]
    assert tokens("co 2") == ["co", "2"]  # lower case: no formula
    # The whole formula or nothing, capitals only, a digit alone (a second reader's cases).
    def written(text: str) -> list[str]:
        return [w for w, _ in cased_words(text)]

    assert written("peroxide (H 2 O 2)") == ["peroxide", "h", "2", "o", "2"]
    assert written("K 2 O and K 2 SO 4") == ["k", "2", "o", "and", "k", "2", "so", "4"]
    assert written("Co 2+ ions") == ["co", "2", "ions"]  # cobalt
    assert written("the CD 4th edition") == ["the", "cd", "4th", "edition"]
    assert tokens("CO 2-eq, (CO 2) and CO 2 In 2019") == tokens("CO2-eq, (CO2) and CO2 In 2019")
    # Story grouping reads the same words.
    from bot.digest.stories import _words
    assert _words("atmospheric CO 2 rose") == ["atmospheric", "co2", "rose"]


FORMULAS = {
    "a.txt": "Gas Report\n\nAtmospheric CO 2 concentrations reached a record in the Valdoria "
             "survey.\n",
    "b.txt": "Air Notes\n\nThe Norland station measured rising carbon dioxide concentrations "
             "over the harbour.\n",
    "c.txt": "Market Notes\n\nGrain prices in Valdoria rose sharply after the dry summer.\n",
}


def test_a_claim_finds_a_formula_written_with_subscripts(settings, store, corpus):
    """"CO2" in a claim is the "CO 2" of a page's subscripts (it was another word, and the
    claim's name "CO2" went missing from the sentence)."""
    world = build_claim_world(settings, store, corpus, FORMULAS)
    subscripts = ask_claim(world, "Atmospheric CO2 concentrations reached a record in the "
                                  "Valdoria survey")
    assert subscripts.verdict == "single-source"
    assert subscripts.evidence[0].doc_id == "a"


def test_a_word_with_digits_gets_its_wordnet_synonyms():
    """"CO2" opening a claim is a word, and WordNet's synonyms of it count ("carbon dioxide"):
    a word with a digit was never looked up."""
    plain = "CO2 concentrations are rising"
    parsed = parse_claim(plain, ALIASES.analyze(plain), ALIASES, set())
    assert ("carbon", "dioxid") in {u.text: u.syns for u in parsed.units}["CO2"]
    # Not one that carries a number of its own: "HS2" (a railway) is no "herpes simplex 2"
    # nor "hsv ii".
    plain = "HS2 will be delayed"
    parsed = parse_claim(plain, ALIASES.analyze(plain), ALIASES, set())
    assert {u.text: u.syns for u in parsed.units}["HS2"] == ()


def test_a_small_count_in_a_definite_description_asserts_no_number():
    # "the two countries" picks out whom the claim is about; a count after no determiner,
    # a count in digits past nine, or one before a measure is a value of the claim.
    def numbers_of(text: str) -> list[str]:
        claim = parse_claim(text, ALIASES.analyze(text), ALIASES, set())
        return [u.key for u in claim.units if u.kind == "number"]

    assert numbers_of("The two leaders signed the pact.") == []
    assert numbers_of("Relations between these three countries suffered.") == []
    assert numbers_of("Two dogs were hurt in the crash.") == ["2"]
    assert numbers_of("The 190 passports were seized in the raids.") == ["190"]
    assert numbers_of("The 2 percent decline hurt exports.") == ["2"]
    assert numbers_of("The two Valdorian envoys met.") == ["2"]  # no plural noun right after
    assert numbers_of("The 007 agents met.") == ["007"]  # a count is written "7", not "007"


PAIR_ARTICLES = {
    "a.txt": "Accord Report\n\nNorland and Valdoria signed the fishing accord in Port Elm on "
             "Monday.\n",
    "b.txt": "Market Notes\n\nGrain prices in Valdoria rose sharply after the dry summer.\n",
}


def test_the_two_countries_are_stated_by_naming_them(settings, store, corpus):
    # The count was a slot no sentence naming the two countries fills: not-found.
    world = build_claim_world(settings, store, corpus, PAIR_ARTICLES)
    answer = ask_claim(world, "The two countries signed the fishing accord in Port Elm.")
    assert answer.verdict == "single-source", answer
