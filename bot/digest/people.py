"""Who's who: people (and named bodies) quoted or acting in a text, with the role the text
gives them. Pure functions; rules, no model (WordNet's nouns of persons, read from the shipped
lexicon, tell a role before a name from a given name: "Actor Tom Hanks").

Recognised forms (role as written):
- "former Russian Foreign Minister Andrei Kozyrev", "North Korean leader Kim Jong Un"
- "Sergei Shoigu, the Russian defense minister,"; after a title's abbreviation a surname
  too: "Mr. Putin, the Russian president," (listed as "Putin" where no full name is given)
- "Ramon Pacheco Pardo of King's College London", "Artyom Lukin from Russia's Far Eastern
  Federal University"
- "Lukin said", "said Lukin" (quoted; a surname joins the full name seen elsewhere); "South
  Korea's President Yoon said" (a surname after a title, the title and its owner its role).

A name the texts use as a place's more often than as a person's is no person: a person's name
takes no article and is not where something is ("Residents of the Old Port said", "a diplomat
in New York said", "arrived at Constitution Hall"), while a person's role, a title or a
reporting verb of their own makes a person's use. A name used as a modifier after the article
("the Donald Trump administration", "in the Rosa Vance campaign") is no place's use."""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

from bot.corpus.segment import (
    ABBREVIATIONS,
    SENTENCE_STARTERS,
    TITLE_ABBREVIATIONS,
    after_title,
    opens_sentence,
)
from bot.digest.timeline import DATE_NAMES, months_after_a_name
from bot.text.wordnet import load_lexicon
from bot.text.words import STOPWORDS, one_transliteration, words

# Whole words only: "presidential", "making" or "officially" holds no title ("Mark Herron, a
# lawyer in the 2000 presidential recount," is no president).
_TITLE_WORDS = (
    r"(?:[Pp]resident|[Pp]rime [Mm]inister|[Ff]oreign [Mm]inister|[Dd]efen[cs]e [Mm]inister|"
    r"[Mm]inister|[Ll]eader|[Ss]pokes(?:man|woman|person)|[Ss]ecretary(?: of [A-Z][a-z]+)?|"
    r"[Cc]hancellor|[Gg]eneral|[Aa]mbassador|[Ee]nvoy|[Aa]nalyst|[Pp]rofessor|[Dd]irector|"
    r"[Cc]hief|CEO|[Cc]hairman|[Cc]hairwoman|[Cc]hair|[Hh]ead|[Ss]enator|[Gg]overnor|[Mm]ayor|"
    r"[Cc]ommander|[Dd]iplomat|[Rr]esearcher|[Ff]ellow|[Ee]conomist|[Ee]xpert|[Oo]fficial|"
    r"[Kk]ing|[Qq]ueen|[Pp]remier|[Cc]ongressman|[Cc]ongresswoman|[Ll]awmaker|[Jj]udge|"
    r"[Pp]rosecutor|[Ss]cholar|[Ee]ditor|[Cc]orrespondent)"
)
TITLES = rf"\b{_TITLE_WORDS}\b"
# One word of a name, whole: a capital, then letters, where a capital may follow a lower-case
# run ("McConnell", "MacArthur", "DeSantis", "LaGuardia"), after an elided "O'"/"D'" ("O'Brien",
# "D'Onofrio") or a hyphen ("Ocasio-Cortez", "Kim Tae-ho", "Smith-McCain"; "al-Assad");
# accented letters are letters ("Penélope"). A name never ends inside a word: "[A-Z][a-z]+"
# took "Mitch Mc" of "Mitch McConnell", "Ron De" of "Ron DeSantis", and dropped "O'Brien".
# Latin Extended-A (U+0100–U+017F) interleaves its capitals and lower-case letters: each is
# one or the other here, never both (as both, a run of them could be cut into name pieces in
# exponentially many ways: 32 letters took seconds, 40 minutes).
_EXT_A = [chr(c) for c in range(0x100, 0x180)]
_UP = "A-ZÀ-ÖØ-Þ" + "".join(c for c in _EXT_A if c.isupper())
_LOW = "a-zß-öø-ÿ" + "".join(c for c in _EXT_A if c.islower())
_PIECE = rf"(?:[{_UP}][’'])?[{_UP}][{_LOW}]+(?:[{_UP}][{_LOW}]+)*"
# It starts no word's inside, and is read whole or not at all (an atomic group: a shorter
# reading would end inside the word too): a capital inside a long word was a start to try,
# and each of its shorter readings was tried and checked to its end (a 2,000-letter "AbAb…"
# took 2 s, cubic in its length).
# At most `_MAX_JOINS` hyphens or elisions join its pieces (the dev data's and Multi-News's
# names hold three at most): each piece after a hyphen is a start of its own ("anti-Trump"
# holds "Trump"), and each start read the word to its end, so one word "Aa-Aa-…" was read in
# time quadratic in its length (10,000 characters took 2.5 s); now each start reads at most
# `_MAX_JOINS` + 1 pieces, and a word of more holds a name only in its last pieces. What may
# follow it is read up to its first character that is no hyphen or elision mark (it was read
# to the word's end again, the same answer).
_MAX_JOINS = 7
_WORD = (rf"(?<!\w)(?>(?:(?:al|el|bin|ibn|abu)-)?{_PIECE}(?:-(?:{_PIECE}|[{_LOW}]+)|"
         rf"[’'][{_LOW}]+){{0,{_MAX_JOINS}}})(?![’'-]*\w)")
# Particles between a given name and a surname, up to two ("Juan de la Cruz", "Ludwig van der
# Rohe"); a capitalised one is a word of the name ("Maria De la Cruz").
_PARTICLE = r"(?:de|da|di|du|des|del|della|der|den|van|von|bin|ibn|al|el|la|le|los|las|ter|ten)"
# A middle initial or two after a given name, each a capital and its full stop ("George W.
# Bush", "John F. Kennedy", "George H.W. Bush", "George H. W. Bush": no one was read, the
# initial being no word of a name, until a later read on 2026-12-07); not a dotted abbreviation
# the sentence splitter knows (`segment.ABBREVIATIONS`: "D.C.", "N.Y.", "U.S."), which no name
# runs across ("… held in Washington D.C. John Smith said" is John Smith's; it was "Washington
# D.C. John Smith" from that read until another that day).
_DOTTED_ABBREVIATION = "|".join(re.escape(a.upper()) for a in sorted(ABBREVIATIONS) if "." in a)
_INITIALS = rf"(?!(?:{_DOTTED_ABBREVIATION})\.\s)(?:[{_UP}]\.\s*){{1,2}}"
_AN_INITIAL = re.compile(rf"(?:[{_UP}]\.)+")
# What stands between two words of a name: white space, then middle initials or particles.
_BETWEEN_NAME_WORDS = rf"\s+(?:{_INITIALS}(?=[{_UP}]))?(?:{_PARTICLE}\s+){{0,2}}"
# A generation's suffix after a name, a word of it: "Jr." and "Sr." with their full stop
# ("Martin Luther King Jr. said", "Donald Trump Jr. said": no one was read, the full stop
# standing between the name and its verb, until a read on 2026-12-07), a numeral of two to
# four ("Henry Ford III said"); after a comma too, as the AP wrote it, with the comma closing it
# ("Martin Luther King, Jr., said", "Robert F. Kennedy, Jr. and his wife": no one, or "Robert F.
# Kennedy", until a read on 2026-12-08), where a comma, a word in lower case or the text's end
# follows ("Jane Roe, Sr. Vice President", a senior one, is no suffix); that name is written
# without its commas (`_name_and_role`: "Martin Luther King Jr.").
_GENERATION = r"(?:[JS]r\.?|II|III|IV)"
_A_GENERATION = re.compile(_GENERATION)
_GENERATION_AFTER_A_COMMA = (r",\s+(?:[JS]r\.|(?:II|III|IV)\b),?(?=\s+[a-z]|\s*$)"
                             r"|,\s+(?:[JS]r\.|(?:II|III|IV)\b)(?=,)")
_A_COMMA_BEFORE_A_GENERATION = re.compile(rf",\s+({_GENERATION}),?$")
NAME = (rf"{_WORD}(?:{_BETWEEN_NAME_WORDS}{_WORD}){{1,3}}"
        rf"(?:(?<=\b[JS]r)\.|\s+(?:II|III|IV)\b|{_GENERATION_AFTER_A_COMMA})?")
_REPORT = (r"(?:said|says|say|told|noted|notes|note|added|explained|explains|warned|warns|asserted|"
           r"asserts|argued|argues|argue|suggested|suggests|suggest|claimed|claims|stated|wrote|writes|"
           r"believes|insisted|insists|denied|denies|accused|accuses|praised|praises|announced|"
           r"highlighted|cautioned|predicted|recalled|acknowledged)")
_ORG = r"(?:[A-Z][A-Za-z’'.&-]*(?:’s|'s)?)(?:\s+(?:of|for|and|on)?\s*[A-Z][A-Za-z’'.&-]*){0,6}"

_ROLE_BEFORE = re.compile(
    rf"(?P<role>(?:(?:former|then|acting|deputy|senior|chief|top)[\s-]+)?"
    rf"(?:[A-Z][a-z]+\s+){{0,3}}{TITLES})\s+(?P<name>{NAME})"
)
# A full stop inside a role after a name, no sentence's end: a title's abbreviation's ("the
# agency Mr. Smith has praised") or a capital letter's, an initial's or a dotted abbreviation's
# ("an adviser under President George W. Bush", "a former U.S. ambassador", "a professor at
# M.I.T.,"), as `segment.opens_sentence` reads them: before a word, no sentence starter after a
# letter's ("… the U.S. The talks …"). The role ended at any full stop until a later read on
# 2026-12-07: "head of the agency Mr", "adviser under President George W", and "John Smith, a
# former U.S. ambassador, said" no one.
_STOP_IN_A_ROLE = (r"(?:(?:" + "|".join(rf"(?<=\b{t.capitalize()})" for t in sorted(TITLE_ABBREVIATIONS))
                   + rf")\.(?=\s+\w)|(?<=\b[{_UP}])\.(?=[{_UP}]\.|\s+(?!(?i:"
                   + "|".join(sorted(SENTENCE_STARTERS)) + rf")\b)\w)|(?<=\.[{_UP}])\.(?=[,;)]))")
_ROLE_CHARACTER = rf"(?:{_STOP_IN_A_ROLE}|[^,;.()“”\"])"
# In a role after the name, "one of" the plural too: "Janet Stout, one of the nation's top
# experts in ..." (not "Putin and Kim Jong Un, the leaders of Russia and North Korea").
_TITLES_IN_ROLE = rf"(?:{TITLES}|(?<=\bone of\s){_ROLE_CHARACTER}{{0,80}}?\b{_TITLE_WORDS}s\b)"
# A role after the name: "Sergei Shoigu, the Russian defense minister,".
_A_ROLE_AFTER = (rf",\s+(?:the\s+|a\s+|an\s+)?(?P<role>{_ROLE_CHARACTER}{{0,80}}?{_TITLES_IN_ROLE}"
                 rf"{_ROLE_CHARACTER}{{0,60}}?)\s*(?:[,;()]|(?!{_STOP_IN_A_ROLE})\.|$)")
_ROLE_AFTER = re.compile(rf"(?P<name>{NAME}){_A_ROLE_AFTER}")
_AFFILIATION = re.compile(
    rf"(?P<name>{NAME})\s+(?:of|from|at)\s+(?P<role>{_ORG})"
)
# A role after the name that starts with a title word's possessive, capitalised and with no
# article, is a name's: "Husky Homestead Tours, King's kennel" (not "the President's adviser").
_TITLE_POSSESSIVE = re.compile(rf"{_TITLE_WORDS}[’']s\b")
_ARTICLE_BEFORE = re.compile(r"\b(?:the|a|an)\s+$", re.IGNORECASE)
# A role after the name is a noun phrase ("the Russian defense minister"), not a participial
# phrase of what the person did ("speaking alongside Governor Tim Wells", "flanked by ...").
_PARTICIPLE_ROLE = re.compile(
    r"^[a-z]+(?:ing|ed)\s+(?:by|with|alongside|beside|behind|near|next|at|in|on|for|from|to|about|"
    r"after|before|during|the|a|an|his|her|their|its)\b|^[a-z]+(?:ing|ed)\s+[A-Z]")
# Nor a clause that a subordinating conjunction opens, of when or why ("'We will appeal,' said
# Lara Moss, after Mayor Elena Brask said the vote was fair": her role was "after Mayor Elena
# Brask said the vote was fair", the title word inside it taken for hers).
# ("once" and "since" open roles too: "once the city's mayor", "since March the party's leader")
_CLAUSE_ROLE = re.compile(r"^(?:after|before|because|if|when|whenever|while|whilst|although|"
                          r"though|until|unless|whereas)\b")
# Nor one whose title is the subject of a clause, an auxiliary right after it: the name before
# the comma is someone addressed, "Mr Speaker, the prime minister has failed this country."
# (the Speaker's role was "prime minister has failed this country"; "Jo Brand, the mayor who
# has led the city," keeps hers). The role's own title, its first: a title later in it is
# another person's ("Tom Lee, the city's mayor since the governor was indicted,").
_FIRST_TITLE = re.compile(TITLES)
# The title's own complement may come between ("the leader of the opposition has failed", "the
# minister for Europe will resign", "the leader of the main opposition party has failed", "the
# minister for the north of England will resign", "the leader of his party has failed"): after
# "of" or "for", up to eight words, a determiner (an article, a demonstrative, a possessive) only
# after a preposition, no relative pronoun ("the head of the agency that has grown," is a role),
# nor a personal pronoun or a determiner opening a clause of its own ("the head of the agency he
# has led", "… the agency the minister has praised", "… an agency his father had founded", "…
# the agency I have praised": roles), nor a person's name after a word in lower case but a
# preposition or a determiner, which opens one too (`_NAME_AFTER_A_NOUN`, `_a_person_s_name`:
# "the head of the agency Mr Smith has praised", "… John Smith has praised": roles); a body's
# or a place's name there is the complement's ("the leader of the main opposition Labour Party
# has failed", "the minister for rural Scotland will resign"). Of one or two words only, until
# a later read on 2026-12-07, "Mr Speaker, the leader of the main opposition party has failed
# …" was "Speaker", role "leader of the main opposition party has failed …"; and a clause
# opened by a demonstrative or a possessive, or with "I", was read as part of the complement,
# no role, until a later read that day, and one opened by a name until another (from which
# until a third, any capitalised run after a word in lower case opened one: "Speaker", role
# "leader of the main opposition Labour Party has failed this country").
_DETERMINERS = "the|a|an|this|these|those|his|her|its|their|our|my|your"
_DETERMINER = rf"(?:{_DETERMINERS})"
_NO_COMPLEMENT_WORD = (rf"(?!(?:that|which|who|whom|whose|where|when|he|she|it|they|we|you|I|"
                       rf"{_DETERMINERS})\b)")
# A word's character in a role, as the role reads it: the full stop of an abbreviation or an
# initial too (`_STOP_IN_A_ROLE`: "the U.S. Labor Party", "the agency Mr. Smith").
_IN_A_ROLE_S_WORD = rf"(?:[\w'’-]|{_STOP_IN_A_ROLE})"
_CAPITALISED_RUN = rf"[{_UP}]{_IN_A_ROLE_S_WORD}*(?:\s+[{_UP}]{_IN_A_ROLE_S_WORD}*)*"
_COMPLEMENT_WORD = rf"{_NO_COMPLEMENT_WORD}(?:{_CAPITALISED_RUN}|{_IN_A_ROLE_S_WORD}+)"
_COMPLEMENT_PREPOSITIONS = "of|for|in|at|on|to|from|with"
_COMPLEMENT_PREPOSITION = rf"(?:{_COMPLEMENT_PREPOSITIONS})\s+(?:{_DETERMINER}\s+)?"
_AUXILIARY_AFTER = re.compile(rf"(?:\s+(?:of|for)\s+(?:{_DETERMINER}\s+)?{_COMPLEMENT_WORD}"
                              rf"(?:\s+(?:{_COMPLEMENT_PREPOSITION})?{_COMPLEMENT_WORD}){{0,7}}?)??"
                              r"\s+(?:has|have|had|is|are|was|were|will|would|shall|should|can|"
                              r"could|must|did|does|do)\b")
# A capitalised run right after a word in lower case but a preposition or a determiner: "the
# agency Mr Smith", "the main opposition Labour Party".
_NAME_AFTER_A_NOUN = re.compile(rf"\b(?!(?:{_COMPLEMENT_PREPOSITIONS}|{_DETERMINERS})\s)[a-z][\w'’-]*"
                                rf"\s+(?P<run>{_CAPITALISED_RUN})")
# Who speaks: the subject of the reporting verb ("NAME said", "NAME, the mayor, said", "NAME
# and Kim said") or the name after it ("said NAME"); not every name of a sentence that has one
# ("Mayor Brask, speaking alongside Governor Tim Wells, said": Wells says nothing).
# The rest of a name the name pattern cut ("Mc|Connell", "al-Thani", "J."), a party in brackets
# ("(R-Utah)"), an appositive between commas (a date's or an abbreviation's comma and full stop
# inside it: "whose city was hit on May 22, 2011,", ", R-Calif.,"), "and" another name, then
# adverbs and auxiliaries before the reporting verb. Each character of the appositive is read
# one way: a full stop before a letter was also read by an alternative of its own until
# 2026-12-07, so each such full stop after a name and its comma doubled the ways tried (30 of
# them took 6 minutes). So is each adverb: "only", "previously" and "recently" were also words
# of their own beside "[a-z]+ly" until a later read that day (24 of them took 8 seconds).
_NAME_REST = r"[\w’'-]*(?:\s+[a-z]{1,3}-[A-Z][\w’'-]*|\s+[A-Z]\.|\s+[A-ZÀ-Þ][\w’'-]*)?"
_SPEAKS_AFTER = re.compile(
    rf"{_NAME_REST}(?:\s*\([^()]{{1,40}}\))?"
    rf"(?:\s*,(?:[^,;()]|,\s*\d){{1,160}},)?\s*(?:and\s+(?:[A-Z][\w’'-]*\s+){{1,5}})?"
    rf"(?:(?:on\s+[A-Z][a-z]+|also|later|then|again|earlier|today|yesterday|"
    rf"[a-z]+ly|has|have|had|would|will|could|did|does)\s+)*{_REPORT}\b")
# "NAME, who said", and a name that is itself the appositive of the subject: "The party's No. 2,
# Majority Whip John Cornyn of Texas, said" (but not "Mayor Brask, speaking alongside Governor Tim
# Wells, said": there the appositive starts with what the mayor did).
_WHO_SAID = re.compile(rf"{_NAME_REST}\s*,\s*who\s+(?:[a-z]+ly\s+|also\s+|later\s+)*{_REPORT}\b")
_COMMA_SAID = re.compile(rf"{_NAME_REST}(?:\s*\([^()]{{1,40}}\))?\s*,\s*(?:[a-z]+ly\s+|also\s+)*{_REPORT}\b")
_AFTER_COMMA = re.compile(r",\s*(?:the\s+)?$")
# "said NAME", "said CNN senior political analyst NAME", "said University of Texas law professor
# NAME": the reporting verb, then at most five words of a role (no article, no clause).
_SPEAKS_BEFORE = re.compile(
    rf"\b{_REPORT}\s+(?:(?:[A-Z][\w’'.&-]*|of|and|[a-z][a-z-]+)\s+){{0,5}}$")
_NOT_ROLE_WORD = STOPWORDS - {"of", "and"}
# After "said NAME" the speaker's name ends the clause ("said Lukin.", "said Lukin, of ...");
# a verb after it makes NAME the subject of what was said ("said Governor Wells would sign").
_SPEAKER_ENDS = re.compile(rf"{_NAME_REST}\s*(?:[,.;:!?()\]\u201d\"]|$|(?:of|from|at|who|in|on|before|"
                           r"after|when|as|while|told|to)\b)")
# "according to NAME": who the statement is attributed to, after at most three lower-case
# words of a role ("According to treasurer Ola Nord, …"; "according to the company" names
# no one). A person named only there and quoted by surname was missing from who's who.
_ACCORDING = re.compile(
    rf"\b[Aa]ccording\s+to\s+(?P<role>(?:[a-z][a-z-]+\s+){{0,3}})(?P<name>{NAME})")
# A surname alone opens no sentence ("… talks. Lukin said" is read; "Officials said" is no one),
# but after a title abbreviation it is a name ("Mr. Putin said", "said Gen. Milley.": the title
# is none).
_SAID_AFTER = re.compile(rf"(?P<name>{NAME}|(?<![.!?]\s)\b{_WORD}|(?<=\.\s)(?P<titled>{_WORD}))"
                         rf"\s+(?:has\s+|have\s+|had\s+)?{_REPORT}\b")


def _abbreviated(titles: frozenset[str], stop: str = r"\.?") -> str:
    """A pattern of the titles' abbreviations, with the full stop or without, as British papers
    write them: "said Gen Milley."; with it alone where `stop` is the full stop's pattern."""
    return rf"(?:{'|'.join(sorted(t.capitalize() for t in titles))}){stop}"


_TITLE_ABBREVIATION = _abbreviated(TITLE_ABBREVIATIONS)
# One word after a title's abbreviation is a surname, and a role may follow it too: "Mr. Putin,
# the Russian president, said" (read as no name of two words, it gave no one). Not after "St.",
# a saint's, whose name is a place's ("In St. Louis, the mayor said the curfew would end." was
# "Louis, mayor said the curfew would end" until a second read on 2026-12-07).
_TITLED_ROLE_AFTER = re.compile(rf"\b{_abbreviated(TITLE_ABBREVIATIONS - {'st'})}\s+"
                                rf"(?P<name>{_WORD}){_A_ROLE_AFTER}")
# A title's abbreviation with its full stop; one may follow another before a name ("said
# Texas Lt. Gov. Dan Patrick.", "said Lt. Col. John Smith.": "Gov" and "Col" were people, the
# name's pattern stopping at the first's full stop, until a second read on 2026-12-08).
_AN_ABBREVIATION_WITH_ITS_STOP = _abbreviated(TITLE_ABBREVIATIONS, r"\.")
# A title's abbreviation with its full stop after up to three capitalised words, a role before
# a name: "said Iowa State Patrol Sgt. Scott Bright." (the name's pattern stopping at the full
# stop, "Iowa State Patrol Sgt" was a person until a read on 2026-12-08).
_A_ROLE_S_ABBREVIATION = (rf"(?P<abbreviated>(?:[{_UP}][\w’'-]*\s+){{1,3}}"
                          rf"(?:{_AN_ABBREVIATION_WITH_ITS_STOP}\s+)?{_AN_ABBREVIATION_WITH_ITS_STOP})")
_SAID_BEFORE = re.compile(rf"\b(?:said|says|noted|added|explained|wrote)\s+"
                          rf"(?:(?:{_A_ROLE_S_ABBREVIATION}|"
                          rf"(?:{_AN_ABBREVIATION_WITH_ITS_STOP}\s+)?{_TITLE_ABBREVIATION})\s+)?"
                          rf"(?P<name>{NAME}|{_WORD})(?!\w)")

# Capitalised words that do not start a person's name.
NOT_NAME = frozenset(
    """The A An This That These Those It Its In On At For From With By Of And But Or If As
    When While After Before Since During Despite Although Though However Meanwhile Both
    Another Other Some Many Most Several All Each Every No Not He She They We I You His Her
    Their Our My Your Mr Mrs Ms Dr Prof President Minister Leader Former According Reports
    Analysts Experts Officials Diplomats Sources Critics North South East West Western Eastern
    Northern Southern United Russian American Chinese European Korean Japanese British French
    German Ukrainian Soviet Kremlin White House Pentagon Security Council Nations Union States
    Federal Republic Democratic People Peoples Monday Tuesday Wednesday Thursday Friday
    Saturday Sunday January February March April May June July August September October
    November December Overall Recent Speculation Historically Currently Also Yet Still Thus""".split()
)


def _a_titled_surname(word: str, titled: bool) -> bool:
    """A single capitalised word read as a surname: none of `NOT_NAME`, but after a title
    (`titled`) any word but a title, whatever it spells: a month, a weekday, a direction, a
    colour or a nationality ("Mrs. May", "Mr. North", "Mr. White", "Mrs. French": they named
    no one); "Mr. President", a title, is one addressed."""
    return word not in NOT_NAME or titled and not _a_title(word)


def _a_title(word: str) -> bool:
    """A title's word or abbreviation ("President", "Mr")."""
    return bool(_TITLE_WORD.match(word)) or word.lower() in TITLE_ABBREVIATIONS


def _a_lone_surname(text: str, start: int, word: str) -> bool:
    """A word of `NOT_NAME` at text[start], untitled, that a reporting verb reads as a
    surname (`_SAID_AFTER`, `_SAID_BEFORE`: "…, White said", "said West."): a word of the
    language but no function word, no title, no body's word (`ORG_WORDS`: "…, Kremlin said")
    and no date's (`DATE_NAMES`: "on Friday said"),
    past the sentence's start and after no article ("The West said", "the Kremlin said")."""
    return word in NOT_NAME and word not in ORG_WORDS and not _a_title(word) \
        and word.lower() not in STOPWORDS and word.lower() not in DATE_NAMES \
        and not opens_sentence(text, start) and not _ARTICLE_BEFORE.search(text, 0, start)


# Words that make a capitalised phrase an organisation or a place, not a person; with the
# words a company's name ends in, its legal form or holding ("Michael Kors Holdings said",
# "Northwind Logistics Ltd said" were people), the kind of body it is ("Coastal Health
# Authority", "Transport Bureau") and the business it is in ("Northwind Mining said on Monday
# that …", "Harbor Airlines", "Kestrel Pharmaceuticals" were people). None is a common given
# name or surname ("Power", "Steel", "Church", "Banks", "Charity" are, and are left out).
# A seat of government that stands for it ("Kremlin", "Pentagon") is a body's: "…, Kremlin
# said." made "Kremlin" a surname written alone, and "Moscow Kremlin said …" a person, until a
# read on 2026-12-07.
ORG_WORDS = frozenset(
    """University College Institute Institution Ministry Department Council Agency Times News
    Post Journal Party Army Navy Force Forces Bank Company Corporation Group Committee Commission
    Office Centre Center School Foundation Association Union Square Street Peninsula Sea River
    Government Parliament Congress Senate Court Service Press Radio Television Network
    Inc Incorporated Corp Ltd Limited Plc PLC LLC LLP Holdings Co Cos
    Authority Bureau Administration Board Directorate Secretariat Alliance Coalition Federation
    Confederation League Society Organisation Organization Fund Trust Chamber Embassy Consulate
    Police Assembly Cabinet Tribunal Regiment Brigade Battalion Club Academy Hospital Clinic
    Museum Library Airport Laboratory Laboratories Labs Consortium Cooperative Syndicate Cartel
    Caucus Movement Brotherhood Exchange
    Mining Minerals Metals Oil Gas Petroleum Energy Electric Utilities Water Motors Automotive
    Airlines Airways Aviation Aerospace Shipping Logistics Freight Railways Railway Railroad
    Transport Pharmaceuticals Pharma Biotech Therapeutics Healthcare Technologies Technology
    Software Systems Solutions Industries Manufacturing Enterprises Ventures Partners Capital
    Investments Securities Insurance Bancorp Financial Finance Telecom Telecommunications
    Communications Media Entertainment Studios Pictures Records Publishing Broadcasting Brewing
    Brewery Foods Beverages Chemicals Resources Construction Engineering Consulting Services
    Properties Realty Hotels Resorts Stores Retail
    Kremlin Pentagon Vatican Whitehall""".split()
)
_TITLE_WORD = re.compile(rf"^{TITLES}$")
# What comes before a place's name and never before a person's: the article, or a preposition
# of place ("the Old Port", "in Upper Darby", "at Constitution Hall", "near Pine Island").
_PLACE_BEFORE = re.compile(r"\b(?:the|in|at|near|outside|inside|across|around|throughout|into)\s+$",
                           re.IGNORECASE)
_THE_BEFORE = re.compile(r"\bthe\s+$", re.IGNORECASE)
# The lowercase word after a name: "the NAME administration" uses the name as a modifier of that
# noun (a person's name may be one), unless the word is a verb or a function word ("Residents
# of the Old Port said", "at the Old Port on Tuesday", "the Old Port flooded").
_NEXT_WORD = re.compile(r"\s+([a-z][a-z’'-]*)")
_NOT_A_NOUN = re.compile(rf"^(?:{_REPORT}|[a-z]+(?:ed|ly)|yesterday|today|tonight|overnight|now|"
                         r"again|earlier|later|last|next|once|first|alone|instead)$")


@dataclass
class Person:
    name: str
    role: str | None = None
    mentions: int = 0
    quoted: bool = False
    sentences: list[int] = field(default_factory=list)  # indexes of the sentences naming them

    @property
    def surname(self) -> str:
        """The name's last word but a generation's suffix ("King" of "Martin Luther King
        Jr.")."""
        return _without_generation(self.name).split()[-1]


def _without_generation(name: str) -> str:
    """`name` without a generation's suffix ending it: "Donald Trump" of "Donald Trump Jr.";
    `name` itself where it has none, or is nothing else ("Jr.")."""
    rest, _, last = name.rpartition(" ")
    return rest if rest and _A_GENERATION.fullmatch(last) else name


def _fathers_not_sons(people: list[Person]) -> list[Person]:
    """The `people` a bare surname may name, but a son whose father is among them, a name
    without a generation's suffix that is or ends in the son's without his ("Donald Trump"
    of "Donald Trump Jr." and of "Trump Jr."): "Trump said" beside "Donald Trump" and "Donald
    Trump Jr." is the father's, as a story naming both writes the son "Trump Jr." (it joined
    neither from a read on 2026-12-07 that read the son's suffix until a second that day)."""
    fathers = [p.name for p in people if p.name == _without_generation(p.name)]

    def a_son(name: str) -> bool:
        father = _without_generation(name)
        return father != name and any(f == father or f.endswith(" " + father) for f in fathers)

    return [p for p in people if not a_son(p.name)]


def _role_noun(word: str) -> bool:
    """A capitalised word that is a noun of a kind of person (WordNet: its most frequent noun
    sense, `Lexicon.person_nouns`): "Actor", "Singer", "Spokeswoman", "Lawmaker"; not a given
    name that is also a word, "Will", "Grace", "Hope", "Rose", "Mark", "Bill"."""
    return word[1:].islower() and word.lower() in load_lexicon().person_nouns()


def _leading_role(parts: list[str]) -> int:
    """How many words opening `parts` are a role, not the name: up to the last that is a title
    or a noun of a kind of person, with the words between ("Actor Tom Hanks", "Singer Mark
    Jones", "Technology Officer Ann Lee" of "Chief Technology Officer Ann Lee", "Police Chief
    Steve Mullin"; the name was "Technology Officer Ann Lee", or a second person beside "Steve
    Mullin"), while a given name and a surname are left ("Guy Ritchie", "Dean Martin", "Angel
    Di Maria": a given name may be such a noun too)."""
    k = 0
    for i in range(len(parts) - 2):
        if (_role_noun(parts[i]) or _TITLE_WORD.match(parts[i])) \
                and not re.fullmatch(_PARTICLE, parts[i + 1], re.IGNORECASE):
            k = i + 1
    # and a title right after it, as one opening the run is no name's ("Maryland Attorney
    # General Brian" of a name cut at four words is no "General Brian")
    while k and k < len(parts) and _TITLE_WORD.match(parts[k]):
        k += 1
    # a title right before the last word, of three or more, makes that word a surname after a
    # title ("Defense Secretary Austin said": a person "Defense Secretary Austin" until a read
    # on 2026-12-08; not before a generation's suffix, "Stephen King Jr.", nor a title's word,
    # the run naming no one: "Deputy Secretary General said" listed "General", from that read
    # until a second that day)
    if len(parts) >= 3 and _TITLE_WORD.match(parts[-2]) and not _A_GENERATION.fullmatch(parts[-1]) \
            and not _a_title(parts[-1]):
        k = len(parts) - 1
    return k


def _a_headline_verb(word: str) -> bool:
    """A capitalised word that may be a verb's present in "-s", as a headline's Title Case
    writes one inside a run of names ("Obama Hails Angela Merkel", "Biden Meets Kim Jong Un"):
    WordNet's (`Lexicon.may_be_verb`), not in "-ss" ("Cross", "Hess")."""
    return word[1:].islower() and word.endswith("s") and not word.endswith("ss") \
        and load_lexicon().may_be_verb(word.lower())


# A word of letters, as a sentence writes it (a case is read off its first letter).
_A_WRITTEN_WORD = re.compile(r"[^\W\d_][\w’'-]*")


def _in_title_case(text: str) -> bool:
    """`text` writes every word capitalised but function words, as a headline's Title Case
    does ("Obama Hails Angela Merkel, the German Chancellor"); a sentence of running text
    writes its verbs in lower case ("Daniel James Smith said the boy was home")."""
    return all(w[0].isupper() or w.lower() in STOPWORDS for w in _A_WRITTEN_WORD.findall(text))


def _headline_verbs(parts: list[str], first: int) -> list[int]:
    """The positions in `parts`, from `first`, of the words `_a_headline_verb` reads, neither
    the last nor one before a middle initial ("… Intelligence James R. Clapper")."""
    return [i for i in range(first, len(parts) - 1)
            if _a_headline_verb(parts[i]) and not _AN_INITIAL.fullmatch(parts[i + 1])]


def _after_a_headline_verb(parts: list[str], run_before: bool = False) -> list[str] | None:
    """A run of capitalised words past the last headline verb inside it (`_a_headline_verb`,
    neither the run's first word nor its last): the name after the verb, or None where fewer
    than two words are left ("Obama Hails Angela Merkel": "Angela Merkel"; "Tiger Woods Wins
    Masters": none); the run itself where it holds no such verb ("Ken Burns", "Garth
    Brooks"), a given name before a middle initial being none ("… Intelligence James R.
    Clapper"). The first of `parts` may be the verb where the run goes on before them
    (`run_before`): a name's pattern reads four words at most, so in "Biden Meets Kim Jong Un,
    the North Korean Leader" it read "Meets Kim Jong Un" (listed until a read on 2026-12-08)."""
    verbs = _headline_verbs(parts, 0 if run_before else 1)
    if not verbs:
        return parts
    rest = parts[verbs[-1] + 1:]
    return rest if len(rest) >= 2 else None


def _role_past_a_headline_verb(role: str, name: str) -> str | None:
    """The words of a `role` right before a `name`, in a headline, that are the name's: the
    role and the name are one run of capitalised words, cut at its last headline verb
    (`_after_a_headline_verb`): "President" of "Obama Hails President" before "Xi Jinping",
    none before "Angela Merkel" of "President Obama Hails Angela Merkel" (the role was the
    words before the verb, Obama's, until a read on 2026-12-08); `role` where the run holds no
    such verb."""
    role_words, name_words = role.split(), name.split()
    # the name's first word, after the role's title, is a name's ("Senator James Inhofe")
    verbs = [i for i in _headline_verbs(role_words + name_words, 1) if i != len(role_words)]
    if not verbs:
        return role
    return " ".join(role_words[verbs[-1] + 1:]) or None


def _an_undotted_title(parts: list[str]) -> bool:
    """The first of a name's words is a title's abbreviation without its full stop, as British
    papers write it ("Mr Putin", "Gen Mark Milley": "Gen Mark Milley" was a person)."""
    return len(parts) > 1 and parts[0].lower() in TITLE_ABBREVIATIONS


def _a_possessive(word: str) -> bool:
    """An owner's word ("Russia's", "Joe’s"): no word of a person's name."""
    return word.endswith(("’s", "'s"))


def _without_owner(parts: list[str]) -> tuple[list[str], list[str]]:
    """A run of capitalised words split after its last possessive but its last word: (the
    owner's words, the rest): "South Korea's" and "President Yoon", "Russia's" and "Vladimir
    Putin"; ([], `parts`) where there is none. The owner's is no word of a name: "Russia's
    Vladimir Putin said" named no one (a name's word was a possessive) until a read on
    2026-12-07."""
    for i in range(len(parts) - 2, -1, -1):
        if _a_possessive(parts[i]):
            return parts[:i + 1], parts[i + 1:]
    return [], parts


# A word of a name after the run a name's pattern read: it read four words at most.
_ANOTHER_NAME_WORD = re.compile(rf"\s+[{_UP}]")
# The words of a name after the four its pattern read.
_A_NAME_S_REST = re.compile(rf"(?:{_BETWEEN_NAME_WORDS}{_WORD})*")
# "of" and a run of capitalised words after a title: " of National Intelligence James Clapper".
_OF_A_RUN = re.compile(rf"\s+of\s+(?P<run>{_WORD}{_A_NAME_S_REST.pattern})")


def _a_title_and_surname(raw: str) -> tuple[str, str | None] | None:
    """A run of capitalised words that is a title and a surname, after an owner's possessive or
    none (`_without_owner`), as (surname, role): ("Yoon", "South Korea's President") of "South
    Korea's President Yoon", ("Kishida", "Prime Minister"), ("Putin", None) of "Mr Putin" (a
    title's abbreviation is no role); None where the run holds a full name ("President Joe
    Biden") or no title before its last word, or that word is no surname ("General Motors",
    "Director General", an owner's "Trader Joe's": it was "Joe's", a trader, from a read on
    2026-12-07 until a second that day)."""
    if " " in (_clean_name(raw) or ""):
        return None
    owner, parts = _without_owner(raw.split())
    if len(parts) < 2 or _a_title(parts[-1]) or parts[-1] in ORG_WORDS \
            or _a_possessive(parts[-1]):
        return None
    if len(parts) == 2 and _an_undotted_title(parts):
        return parts[-1], None
    # after a noun of a kind of person, no title, a word of `NOT_NAME` is none: "Consumer
    # Reports said", "Member States said", "Senior Officials said" were people from a read on
    # 2026-12-07 until a second that day; after a title it is ("Prime Minister May said")
    titled = bool(_TITLE_WORD.match(parts[-2]))
    if not (titled or _role_noun(parts[-2])) or not _a_titled_surname(parts[-1], titled):
        return None
    role = owner + parts[:-1]
    while role and role[0].lower() in STOPWORDS:
        role = role[1:]  # "The President Yoon said"
    return parts[-1], " ".join(role)


def _clean_name(name: str, surnames: frozenset[str] = frozenset(), headline: bool = False
                ) -> str | None:
    return _name_and_role(name, surnames, headline)[0]


def _name_and_role(name: str, surnames: frozenset[str] = frozenset(), headline: bool = False,
                   run_before: bool = False) -> tuple[str | None, str | None]:
    """The person's name in a run of capitalised words, and the role words opening it
    (`_leading_role`: "Actor Tom Hanks" -> "Tom Hanks", "Actor"), or (None, None); ending in
    one of the `surnames` (`_checked`) too. In a `headline` (`_in_title_case`), the name after
    a verb inside the run (`_after_a_headline_verb`); elsewhere a verb's form there is a
    name's word ("Daniel James Smith said …", "Ana Soares Silva, the mayor,": no one from a
    read on 2026-12-07 that cut at such a verb in any text until a second that day); its
    first word too where the headline's run goes on before it (`run_before`)."""
    parts = _without_words_opening_no_name(_A_COMMA_BEFORE_A_GENERATION.sub(r" \1", name).split())
    if headline:
        # after the words opening no name, the run's first word is a name's ("As Brooks
        # Koepka Jones, the Team Leader, Rests": "Koepka Jones", the cut reading "Brooks" as
        # the run's second word and a verb, until a read on 2026-12-08)
        parts = _without_words_opening_no_name(
            _after_a_headline_verb(parts, run_before and len(parts) == len(name.split())) or [])
    k = _leading_role(parts)
    role = " ".join(parts[:k]) or None
    parts = parts[k:]
    while parts and _AN_INITIAL.fullmatch(parts[0]):
        parts = parts[1:]  # an initial is a middle one: "The U.S. Treasury said" is no one
    cleaned = _checked(parts, surnames)
    return cleaned, role if cleaned else None


def _without_words_opening_no_name(parts: list[str]) -> list[str]:
    """`parts` without the words opening them that open no name: `NOT_NAME`'s ("The", "As"),
    a title's ("President", "Mr")."""
    while parts and (parts[0] in NOT_NAME or _TITLE_WORD.match(parts[0])
                     or _an_undotted_title(parts)):
        parts = parts[1:]
    return parts


def _a_month_surname(parts: list[str]) -> bool:
    """A name's words end in a month's name after a given name, its surname ("Theresa May",
    "Brian May": no one), as the key developments and the timeline read it
    (`timeline.months_after_a_name`): not after a word taking a date ("Last May, the minister
    said …", "Until March, …" were people). A weekday is none: a date run on after a name
    ("Vladimir Putin Monday said")."""
    name = " ".join(parts)
    return any(m.end("m") == len(name) for m in months_after_a_name(name))


def _checked(parts: list[str], surnames: frozenset[str] = frozenset()) -> str | None:
    """The name `parts` spell, or None: no body's word (`ORG_WORDS`), and none of `NOT_NAME`
    but a last word that is a month's after a given name (`_a_month_surname`: "Theresa May")
    or one of the `surnames`, the words of `NOT_NAME` the texts write alone as a surname
    (`whos_who`: "Jack White" where "White said …"; "Homeland Security" is no one)."""
    if any(p in ORG_WORDS for p in parts):
        return None
    if len(parts) < 2 and not (len(parts) == 1 and len(parts[0]) > 2):
        return None
    if not parts or any(p in NOT_NAME for p in parts[:-1]) \
            or parts[-1] in NOT_NAME and not _a_month_surname(parts) \
            and parts[-1] not in surnames:
        return None
    if any(_a_possessive(p) for p in parts):
        return None
    return " ".join(parts)


# An attribution inside a role says who says so, not who the person is: "Tom Hart, a
# spokesman according to the company," is a spokesman (his role was "spokesman according to the
# company"); a role that opens with one is none (`_PARTICIPLE_ROLE`).
_ATTRIBUTION = re.compile(r"\s*\baccording to\b.*", re.IGNORECASE | re.DOTALL)


def _clean_role(role: str) -> str:
    role = _ATTRIBUTION.sub("", role)
    role = re.sub(r"\s+", " ", role).strip(" ,;")
    role = re.sub(r"^(?:the|a|an)\s+", "", role, flags=re.I)
    return role


def _speaks(text: str, start: int, end: int) -> bool:
    """Whether the person named at text[start:end] (with a title before it, if any) is the
    one a reporting verb of the sentence attributes words to."""
    if _SPEAKS_AFTER.match(text, end) or _WHO_SAID.match(text, end):
        return True
    if _COMMA_SAID.match(text, end) and _AFTER_COMMA.search(text, max(0, start - 6), start):
        return True
    before = _SPEAKS_BEFORE.search(text, max(0, start - 80), start)
    if before is None or not _SPEAKER_ENDS.match(text, end):
        return False
    words = text[before.start():start].split()[1:]  # the role's words after the verb
    return not any(w in _NOT_ROLE_WORD for w in words)


def _a_role(words: list[str]) -> bool:
    """Lower-case words naming a kind of person ("treasurer", "police spokesman"; WordNet's
    `person_nouns`)."""
    return bool(words) and words[-1] in load_lexicon().person_nouns()


def _attributed_only(text: str, surnames: frozenset[str] = frozenset()) -> set[str]:
    """The names `text` gives only after "according to" with no role before them ("according
    to Human Rights Watch", "according to Ola Nord"): a person's or an organisation's, as
    likely one as the other (`whos_who` lists them only when another sentence names them)."""
    names: set[str] = set()
    headline = _in_title_case(text)
    for m in _ACCORDING.finditer(text):
        name, leading = _name_and_role(m.group("name"), surnames, headline)  # ("Treasurer Ola Nord")
        if name and not leading and not _a_role(m.group("role").split()):
            names.add(name)
    return names


def _a_names_role(text: str, m: re.Match[str]) -> bool:
    """The words after the name `m` matched with a role after it (`_A_ROLE_AFTER`) tell of
    the named: not a title word's possessive opening them, capitalised and with no article
    ("Husky Homestead Tours, King's kennel": (Jeff) King's, no king)."""
    role = m.group("role")
    return not (role[:1].isupper() and _TITLE_POSSESSIVE.match(role)
                and not _ARTICLE_BEFORE.search(text, m.start(), m.start("role")))


def _role_after(role: str) -> str | None:
    """The role after a name as written, or None where the words tell what the person did
    ("speaking alongside Governor Tim Wells") or when they spoke ("after Mayor Brask said
    …"), or where its title is a clause's subject ("Mr Speaker, the prime minister has failed
    …": `_a_title_subject`), not who they are."""
    if _PARTICIPLE_ROLE.match(role.strip()) or _CLAUSE_ROLE.match(role.strip()) \
            or _a_title_subject(role):
        return None
    return _clean_role(role)


def _a_title_subject(role: str) -> bool:
    """The role's title, its first, is a clause's subject, an auxiliary right after it or after
    its complement ("prime minister has failed this country", "leader of the opposition has
    failed …"; not "city's mayor since the governor was indicted")."""
    title = _FIRST_TITLE.search(role)
    auxiliary = _AUXILIARY_AFTER.match(role, title.end()) if title is not None else None
    # a person's name after the complement's noun opens a clause, whose subject it is
    return auxiliary is not None and not any(
        _a_person_s_name(m.group("run"))
        for m in _NAME_AFTER_A_NOUN.finditer(role, auxiliary.start(), auxiliary.end()))


def _a_person_s_name(run: str) -> bool:
    """A capitalised run naming a person: a title then a name ("Mr Smith", "President Trump")
    or a name of two words or more (`_clean_name`: "John Smith"); not a body's or a place's
    ("Labour Party", "United Russia"), nor a single word, a place's or an acronym as often
    ("Scotland", "BBC")."""
    name = _clean_name(run)
    return name is not None and (" " in name or _a_title(run.split()[0]))


# A word of a capitalised run right before a position, no function word ("Biden " of "Biden
# Meets Kim Jong Un"; not "The ").
_A_RUN_S_WORD_BEFORE = re.compile(rf"(?<![\w’'-])(?P<word>[{_UP}][\w’'-]*)\s+$")


def _a_run_goes_on_before(text: str, start: int) -> bool:
    """A capitalised word stands right before text[start] that may be a name's: no function
    word, none of `NOT_NAME` and no title, after which a name starts ("Senator James Inhofe,
    the Committee Chairman": "James", a verb's form to WordNet, was read as the verb, and the
    name's role lost, from a read on 2026-12-08 until a second that day)."""
    before = _A_RUN_S_WORD_BEFORE.search(text, max(0, start - 40), start)
    return before is not None and before.group("word").lower() not in STOPWORDS \
        and before.group("word") not in NOT_NAME and not _a_title(before.group("word"))


# A title and "of" right before a run of capitalised words: "Director of " of "Director of
# National Intelligence James Clapper said".
_A_TITLE_OF_BEFORE = re.compile(rf"\b(?P<title>{_TITLE_WORDS}) of\s+$")


def _after_a_title_s_complement(text: str, start: int, run: str) -> tuple[str, str] | None:
    """The name and the role in a `run` of capitalised words at text[start] after a title and
    "of": the words opening it that are words of the language (WordNet's, `Lexicon.is_word`)
    complement the title, at least two of the name's words left ("Director of National
    Intelligence James R. Clapper said": ("James R. Clapper", "Director of National
    Intelligence"); a person "National Intelligence James R. Clapper" until a read on
    2026-12-08; "Minister of Foreign Affairs Sergei Lavrov", "Chief of Staff John Kelly");
    None where no such word opens it or no title and "of" come before it."""
    title = _A_TITLE_OF_BEFORE.search(text, max(0, start - 40), start)
    if title is None:
        return None
    parts = run.split()
    lexicon = load_lexicon()
    k = 0
    # the name's words from parts[k] (no initial), counted once: the run may be long
    words_left = sum(not _AN_INITIAL.fullmatch(p) for p in parts)
    while not _AN_INITIAL.fullmatch(parts[k]) and words_left - 1 >= 2 \
            and lexicon.is_word(parts[k].lower()):
        k += 1
        words_left -= 1
    if k == 0:
        return None
    return " ".join(parts[k:]), " ".join([title.group("title"), "of", *parts[:k]])


def _one_name_in_another(name: str, other: str) -> bool:
    """One of two names a sentence gives, read ending at one place of it, ends in the other,
    of two words or more: one name, the longer read with words of a role before it ("State
    Hillary Clinton" of "Secretary of State Hillary Clinton has said", whose role "Secretary of
    State" `_ROLE_BEFORE` reads with "Hillary Clinton": who's who listed "State Hillary
    Clinton" until a read on 2026-12-08). Read ending elsewhere, they are two people ("Mark
    Smith said John Mark Smith was there": `mentions` checks the place)."""
    return " " in name and " " in other and (name.endswith(" " + other) or other.endswith(" " + name))


def mentions(text: str, surnames: frozenset[str] = frozenset()
             ) -> list[tuple[str, str | None, bool]]:
    """(name, role or None, quoted/attributed) for each person the sentence names: quoted when
    they are the speaker of its reporting verb ("said"), or, in a sentence with quotation
    marks and no reporting verb, when the sentence names them. A name may end in one of the
    `surnames` (words of `NOT_NAME` written alone as a surname elsewhere: `_checked`)."""
    out: list[tuple[str, str | None, bool]] = []
    reports = bool(re.search(rf"\b{_REPORT}\b", text))
    quotes = not reports and ("“" in text or '"' in text)
    headline = _in_title_case(text)
    # where in `text` each name `add` put in `out` was read to end (its index in `out`), and
    # the names a title's pattern read before them (`_ROLE_BEFORE`)
    ends: dict[int, set[int]] = {}
    after_a_title: set[int] = set()

    def add(raw: str, start: int, role: str | None, quoted: bool, before: bool = False) -> None:
        """The name `raw`, read at text[start], with its role."""
        end = start + len(raw)
        name, leading = _name_and_role(raw, surnames, headline,
                                       headline and _a_run_goes_on_before(text, start))
        if before and headline and role:
            role = _role_past_a_headline_verb(role, raw)
        # A role right before the name reads on into the role words opening it: "Chief
        # Executive Officer Tim Cook" is "Chief Executive Officer" (it was "Chief").
        role = f"{role} {leading}" if before and role and leading else role or leading
        # a surname after a title is one too ("Defense Secretary Austin, a former general,"),
        # but a given name the pattern cut ("said Senate Majority Leader Mitch| McConnell")
        if name and (" " in name or leading is not None and _a_title(leading.split()[-1])
                     and not _ANOTHER_NAME_WORD.match(text, start + len(raw))):
            for i, (n, r, q) in enumerate(out):
                if n == name or end in ends.get(i, ()) and _one_name_in_another(n, name):
                    # one name read twice: the title's pattern's read, or the shorter, the
                    # other's words before it a role's ("State Hillary Clinton"); not a given
                    # name a title's complement took ("Secretary of State John Foster Dulles
                    # said": "Foster Dulles", from a read on 2026-12-08 until a second that day)
                    kept = n if i in after_a_title else name if before else min(n, name, key=len)
                    out[i] = (kept, r or role, q or quoted)
                    ends[i].add(end)
                    if before:
                        after_a_title.add(i)
                    return
            ends[len(out)] = {end}
            if before:
                after_a_title.add(len(out))
            out.append((name, role, quoted))

    for m in _AFFILIATION.finditer(text):
        name = _clean_name(m.group("name"), surnames, headline)
        org = m.group("role").strip()
        # A person has a given name and a surname; "Kim Il Sung Square" has no affiliation.
        if name and len(name.split()) >= 2 and (reports or quotes):
            add(m.group("name"), m.start("name"), _clean_role(org),
                quotes or _speaks(text, m.start(), m.end()) or _speaks(text, m.start(), m.end("name")))
    for m in _ROLE_BEFORE.finditer(text):
        add(m.group("name"), m.start("name"), _clean_role(m.group("role")), quotes or _speaks(text, m.start(), m.end()),
            before=True)
    for m in _ROLE_AFTER.finditer(text):
        if _a_names_role(text, m):
            add(m.group("name"), m.start("name"), _role_after(m.group("role")),
                quotes or _speaks(text, m.start(), m.end("name")))
    for m in _TITLED_ROLE_AFTER.finditer(text):
        if _a_names_role(text, m) and _a_titled_surname(m.group("name"), True):
            out.append((m.group("name"), _role_after(m.group("role")),
                        quotes or _speaks(text, m.start("name"), m.end("name"))))
    for m in _ACCORDING.finditer(text):
        role_words = m.group("role").split()
        if not any(w in _NOT_ROLE_WORD for w in role_words):
            add(m.group("name"), m.start("name"), " ".join(role_words) if _a_role(role_words) else None, True)
    for rx in (_SAID_AFTER, _SAID_BEFORE):
        for m in rx.finditer(text):
            raw, name_end, role = m.group("name"), m.end("name"), m.groupdict().get("abbreviated")
            if m.groupdict().get("titled") and not after_title(text, m.start()):
                continue  # "… talks. Lukin said": no title before it
            if rx is _SAID_BEFORE and " " in raw \
                    and (rest := _A_NAME_S_REST.match(text, name_end)) is not None:
                # the run read whole where the name's pattern cut it after its four words
                # ("said Air Chief Marshal Angus| Houston, who …" listed "Marshal Angus" until a
                # read on 2026-12-08, and no one from it until a second that day, as "said Ana
                # Maria Soares Silva| Costa."): "Angus Houston", role "Air Chief Marshal"
                name_end = rest.end()
                raw = text[m.start("name"):name_end]
            elif rx is _SAID_BEFORE and _TITLE_WORD.match(raw) \
                    and (of := _OF_A_RUN.match(text, name_end)) is not None \
                    and (complemented := _after_a_title_s_complement(
                        text, of.start("run"), of.group("run"))) is not None:
                # a title, "of" and its complement before the name: "said Director of National
                # Intelligence James Clapper." listed a "Director" until a second read on
                # 2026-12-08 (as "said Secretary of State John Kerry." did beside John Kerry)
                (raw, role), name_end = complemented, of.end("run")
            titled = after_title(text, m.start("name"), undotted=True)
            if " " in raw and not _ANOTHER_NAME_WORD.match(text, name_end) \
                    and (titled_surname := _a_title_and_surname(raw)) is not None:
                # a surname after a title: "Mr Putin said", "South Korea's President Yoon said"
                # (not a name the pattern cut: "said Senate Majority Leader Mitch| McConnell")
                (raw, role), titled = titled_surname, True
            elif (complemented := _after_a_title_s_complement(text, m.start("name"), raw)) \
                    is not None:
                # "Director of National Intelligence James Clapper said"
                raw, role = complemented
            elif " " in raw and _clean_name(raw, surnames, headline) is None \
                    and len(owned := _without_owner(raw.split())[1]) > 1:
                # an owner's possessive opens no name: "Russia's Vladimir Putin said" (but no
                # word alone after it: "the County Coroner's Office said")
                raw = " ".join(owned)
            if rx is _SAID_BEFORE and not _SPEAKER_ENDS.match(text, name_end):
                # "said Jeff King was his favourite musher": King is spoken of, not speaking
                if " " in raw:
                    add(raw, name_end - len(raw), role, False)
                continue
            if " " in raw:
                add(raw, name_end - len(raw), role, True)
            elif _a_titled_surname(raw, titled) or _a_lone_surname(text, m.start("name"), raw):
                out.append((raw, role, True))  # a surname; joined to a full name later
    return out


def _a_modifier(text: str, start: int, end: int) -> bool:
    """The name at text[start:end] modifies the noun after it: "the NAME administration"."""
    if not _THE_BEFORE.search(text, max(0, start - 5), start):
        return False
    after = _NEXT_WORD.match(text, end)
    if after is None:
        return False
    word = after.group(1)
    return word not in STOPWORDS and not _NOT_A_NOUN.match(word)


def _uses(name: re.Pattern[str], text: str) -> list[bool]:
    """Each use of the `name` in `text`: whether it is a place's (after the article or a
    preposition of place, and not a modifier: "the NAME administration")."""
    return [bool(_PLACE_BEFORE.search(text, max(0, m.start() - 12), m.start()))
            and not _a_modifier(text, m.start(), m.end())
            for m in name.finditer(text)]


def _a_place(p: Person, sentences: list[str]) -> bool:
    """The texts use `p`'s name as a place's more often than as a person's: a sentence naming
    them is a person's use unless each of its uses of the name is a place's."""
    # A possessive ("Lukin's") or a longer name ("Donald Trump Jr.") is no use of the name.
    name = re.compile(rf"(?<![\w’'-]){re.escape(p.name)}(?![\w’'-]|\s+[A-Z])")
    place = 0
    person = 0
    mine = set(p.sentences)
    for i, text in enumerate(sentences):
        uses = _uses(name, text) if p.name in text else []
        place += sum(uses)
        if i in mine and not (uses and all(uses)):
            person += 1
    return place > person


def _one_name(name: str) -> tuple[str, ...]:
    """A name's words as the digest compares names (`summarize.NamedApart`): folded, without
    accents, a Russian or Ukrainian ending in one spelling ("Volodymyr Zelenskyy" and
    "Volodymyr Zelensky", "Lech Wałęsa" and "Lech Walesa" are one name)."""
    return tuple(one_transliteration(w) for w in words(name))


def _without_initials(name: str) -> tuple[str, ...]:
    """`_one_name` of a name without its initials ("Jeffrey T. Richelson": Jeffrey
    Richelson's)."""
    return _one_name(" ".join(w for w in name.split() if not _AN_INITIAL.fullmatch(w)))


def _merge_into(p: Person, other: Person) -> None:
    """`other`'s mentions counted as `p`'s (its role where `p` has none)."""
    p.role = p.role or other.role
    p.quoted = p.quoted or other.quoted
    p.mentions += other.mentions
    p.sentences = sorted(set(p.sentences) | set(other.sentences))


def _most_written(spellings: dict[str, list[int]], sources: Sequence[Hashable]) -> str:
    """Of the spellings of one name (each with the sentences writing it), the one the most
    `sources` write (each sentence's), the earliest of those tied."""
    return min(spellings, key=lambda name: (-len({sources[i] for i in spellings[name]}),
                                            min(spellings[name])))


def _one_spelling_each(people: dict[str, Person], attributed_only: set[str],
                       named_otherwise: set[str], sources: Sequence[Hashable]) -> None:
    """The spellings of one name (`_one_name`) in `people` merged into one person, under the
    spelling the most sources use (`sources`: each sentence's), the earliest of those tied;
    each merged spelling's place in `attributed_only` and `named_otherwise` goes to it. A name
    without middle initials is a spelling of the one name `people` write with them, where
    there is one ("Jeffrey Richelson" and "Jeffrey T. Richelson"; not "George Bush" beside
    "George W. Bush" and "George H.W. Bush")."""
    initialed: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    for p in people.values():
        if (bare := _without_initials(p.name)) != (written := _one_name(p.name)):
            initialed.setdefault(bare, set()).add(written)
    spellings: dict[tuple[str, ...], list[Person]] = {}
    for p in people.values():
        key = _one_name(p.name)
        if len(initialed.get(key, ())) == 1:
            key = next(iter(initialed[key]))
        spellings.setdefault(key, []).append(p)
    for same in spellings.values():
        if len(same) < 2:
            continue
        shown = people[_most_written({p.name: p.sentences for p in same}, sources)]
        for p in same:
            if p is shown:
                continue
            _merge_into(shown, people.pop(p.name))
            for names in (attributed_only, named_otherwise):
                if p.name in names:
                    names.add(shown.name)


# A title that tells a man from a woman ("Mr." and "Ms."/"Mrs."), before the surname.
_GENDERED_TITLE = re.compile(r"\b(?:(?P<m>Mr)|(?P<f>Mrs|Ms))(?P<stop>\.?)\s+")
_SurnameUse = tuple[int, str, str | None, bool]  # sentence, surname as written, role, quoted


def _gendered_title(text: str, surname: str) -> tuple[str, str] | None:
    """The first title before `surname` in `text` that tells a man from a woman: ("m", "Mr.")
    or ("f", "Ms."), as written; None where there is none."""
    for m in _GENDERED_TITLE.finditer(text):
        if text.startswith(surname, m.end()) and not text[m.end() + len(surname):][:1].isalnum():
            return ("m" if m.group("m") else "f"), m.group(0).rstrip()
    return None


def _by_gendered_title(uses: list[_SurnameUse], sentences: Sequence[str],
                       sources: Sequence[Hashable]) -> list[tuple[list[_SurnameUse], str]]:
    """The uses of one surname no full name matches, as one person, or as two where the texts
    title it both as a man's and as a woman's ("Ms. Smith, a spokeswoman," and "Mr. Smith, the
    chief executive,": one "Smith"), each then shown with its title ("Ms. Smith "). A use with
    no such title goes with its own source's (each sentence's `sources`): the one it last
    titled before it, else the first after it; where its source titles none, with the one last
    titled before it, the first titled where none is."""
    titles = [_gendered_title(sentences[i], surname) for i, surname, _, _ in uses]
    if len({t[0] for t in titles if t}) < 2:
        return [(uses, "")]
    first_in: dict[Hashable, str] = {}  # each source's first title's gender
    for (i, _, _, _), title in zip(uses, titles, strict=True):
        if title:
            first_in.setdefault(sources[i], title[0])
    last_in: dict[Hashable, str] = {}  # each source's last title's gender so far
    shown: dict[str, str] = {}
    groups: dict[str, list[_SurnameUse]] = {}
    last = next(t[0] for t in titles if t)
    for use, title in zip(uses, titles, strict=True):
        source = sources[use[0]]
        if title:
            last = last_in[source] = title[0]
            shown.setdefault(last, f"{title[1]} ")
        gender = last_in.get(source) or first_in.get(source) or last
        groups.setdefault(gender, []).append(use)
    return [(group, shown[g]) for g, group in groups.items()]


def _lone_surnames(read: list[list[tuple[str, str | None, bool]]]) -> frozenset[str]:
    """The words of `NOT_NAME` that sentences' `mentions` (`read`) give as a surname alone,
    after a title or by a reporting verb ("Mr. White", "…, White said", "said West."), but a
    date's (`DATE_NAMES`: a month is read as a surname by `_a_month_surname`): a name ending
    in one is a person's ("Jack White", "Kanye West")."""
    return frozenset(name for found in read for name, _, _ in found
                     if name in NOT_NAME and name.lower() not in DATE_NAMES)


def whos_who(sentences: list[str], sources: Sequence[Hashable] | None = None) -> list[Person]:
    """People across sentences, merged by name (a bare surname joins the full name; the
    spellings of one name, `_one_name`, are one person, shown as the most `sources` — each
    sentence's, by default each sentence its own — spell it, the earliest of those tied),
    most mentioned first; ties by first appearance."""
    people: dict[str, Person] = {}
    surnames: list[_SurnameUse] = []
    # Named only after a bare "according to", as organisations mostly are ("according to
    # Human Rights Watch", "according to Fitch Ratings"): listed only once named otherwise too.
    attributed_only: set[str] = set()
    named_otherwise: set[str] = set()
    read = [mentions(text) for text in sentences]
    lone = _lone_surnames(read)
    if lone:  # read again where a name's word comes before one: "Jack White", "Jack W. White"
        # (a word holding a capital, read from its start: read from each capital in it, to its
        # end each time, "A-" × 32,000 took 15 s)
        before = re.compile(rf"(?<![\w’'-])(?=[\w’'-]*?[{_UP}])[\w’'-]*+{_BETWEEN_NAME_WORDS}"
                            rf"(?:{'|'.join(sorted(lone))})\b")
        read = [mentions(text, lone) if before.search(text) else found
                for text, found in zip(sentences, read, strict=True)]
    for i, (text, found) in enumerate(zip(sentences, read, strict=True)):
        weak = _attributed_only(text, lone) if "ccording" in text else set()
        for name, role, quoted in found:
            if " " not in name:
                surnames.append((i, name, role, quoted))
                continue
            (attributed_only if name in weak else named_otherwise).add(name)
            p = people.setdefault(name, Person(name))
            p.role = p.role or role
            p.quoted = p.quoted or quoted
            p.mentions += 1
            if i not in p.sentences:
                p.sentences.append(i)
    by_source = sources if sources is not None else range(len(sentences))
    _one_spelling_each(people, attributed_only, named_otherwise, by_source)
    # Join bare surnames ("Lukin said") to the one full name they match (in any spelling of
    # it: "Zelenskyy said" is Volodymyr Zelensky's).
    by_surname: dict[tuple[str, ...], list[Person]] = {}
    for p in people.values():
        by_surname.setdefault(_one_name(p.surname), []).append(p)
    # A surname no full name matches is a person of its own where a title and a role name
    # them ("Mr. Putin, the Russian president, said": `_TITLED_ROLE_AFTER`), with its other
    # mentions.
    alone: dict[tuple[str, ...], list[_SurnameUse]] = {}
    for i, surname, role, quoted in surnames:
        matches = _fathers_not_sons(by_surname.get(_one_name(surname), []))
        if not matches:
            alone.setdefault(_one_name(surname), []).append((i, surname, role, quoted))
        if len(matches) == 1:
            p = matches[0]
            named_otherwise.add(p.name)
            p.role = p.role or role
            p.quoted = p.quoted or quoted
            p.mentions += 1
            if i not in p.sentences:
                p.sentences.append(i)
    for uses, title in (one for same in alone.values()
                        for one in _by_gendered_title(same, sentences, by_source)):
        roles = [role for _, _, role, _ in uses if role]
        if roles:
            # shown as the most sources spell it, as a full name ("Mr. Zelenskyy, the
            # Ukrainian president," in one article, "Zelensky said" in two: "Zelensky")
            written: dict[str, list[int]] = {}
            for i, surname, _, _ in uses:
                written.setdefault(surname, []).append(i)
            name = f"{title}{_most_written(written, by_source)}"
            p = people.setdefault(name, Person(name, roles[0]))
            named_otherwise.add(p.name)
            p.quoted = any(quoted for _, _, _, quoted in uses)
            p.mentions = len(uses)
            p.sentences = sorted({i for i, _, _, _ in uses})
    for name in attributed_only - named_otherwise:
        people.pop(name, None)
    # Shorter names contained in longer ones ("Pacheco Pardo" in "Ramon Pacheco Pardo") merge;
    # not a father's in his son's ("Donald Trump" in "Donald Trump Jr.").
    for name in sorted(people, key=len):
        longer = [q for q in people.values() if q.name != name
                  and (q.name.startswith(name + " ") and _without_generation(q.name) != name
                       or q.name.endswith(" " + name))]
        if len(longer) == 1:
            _merge_into(longer[0], people.pop(name))
    ranked = sorted((p for p in people.values() if not _a_place(p, sentences)), key=lambda p: (-(p.role is not None) - p.quoted,
                                                    -p.mentions, min(p.sentences or [0])))
    return ranked
