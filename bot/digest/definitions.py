"""Digest definitions: one TOML file per briefing in `digests/` (title, sections and their
order, item caps, word budget, optional topic filter, default schedule, how many stories a
briefing of several stories shows and which stories it keeps).

A bad definition raises `UserError` naming the file and the field, so an admin can fix it."""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bot.config import DIGEST_NAME, is_listed_digest, misnamed_digests_note
from bot.config import available_digests as available
from bot.cron import make_trigger, never_fires, never_fires_why
from bot.errors import UserError, closest_name, quoted_if_unprintable
from bot.paths import loads_toml, read_utf8_text, wrong_kind
from bot.reply import clip_echo, said_back_name
from bot.text.words import tokens

SECTION_KINDS = ("key-developments", "timeline", "whos-who", "to-watch", "sources")
_NAME = DIGEST_NAME
_ALIASES = {"key": "key-developments", "developments": "key-developments",
            "who": "whos-who", "people": "whos-who", "watch": "to-watch"}


@dataclass(frozen=True)
class SectionDef:
    kind: str
    max_items: int = 10
    max_words: int | None = None
    title: str | None = None

    @property
    def heading(self) -> str:
        return self.title or DEFAULT_TITLES[self.kind]


DEFAULT_TITLES = {
    "key-developments": "Key developments",
    "timeline": "Timeline",
    "whos-who": "Who's who",
    "to-watch": "To watch",
    "sources": "Sources",
}


@dataclass(frozen=True)
class Schedule:
    cron: str
    timezone: str = "UTC"
    on_empty: str = "post"  # when nothing is new: "post" a notice, or "skip" the slot


@dataclass(frozen=True)
class DigestDef:
    name: str
    title: str
    sections: tuple[SectionDef, ...]
    words: int = 1000
    topic: str | None = None
    schedule: Schedule | None = None
    path: Path | None = field(default=None, compare=False)
    max_stories: int = 8  # stories shown in a briefing of several stories
    stories_about: tuple[str, ...] = ()  # terms or names: a story must mention one of them

    def section(self, kind: str) -> SectionDef | None:
        return next((s for s in self.sections if s.kind == kind), None)

    def only(self, kind: str) -> DigestDef:
        """This definition restricted to one section (its own caps, or defaults)."""
        sec = self.section(kind) or SectionDef(kind, max_items=50)
        return replace(self, sections=(sec,))


def section_kind(name: str) -> str:
    """Canonical section kind for a user-typed name ("key-developments", "who", "timeline")."""
    key = name.strip().lower().replace("_", "-").replace(" ", "-").replace("'", "")
    key = _ALIASES.get(key, key)
    if key not in SECTION_KINDS:
        raise UserError(f"unknown section {clip_echo(name)!r}; known: "
                        f"{', '.join(SECTION_KINDS)}")
    return key


def _positive_int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise UserError(f"{where} must be a positive whole number, not {value!r}")
    return value


def parse_definition(name: str, data: dict[str, Any], path: Path | None = None) -> DigestDef:
    """Validate a parsed TOML table; raises UserError with the file and the field at fault."""
    where = quoted_if_unprintable(path) if path else f"digest {name!r}"
    known = {"title", "words", "topic", "sections", "schedule", "description", "max_stories",
             "stories_about"}
    unknown = _unknown_fields(data, known)
    if unknown:
        raise UserError(f"{where}: {unknown}")
    title = data.get("title", name.replace("-", " ").capitalize())
    if not isinstance(title, str) or not title.strip():
        raise UserError(f"{where}: title must be a non-empty string")
    words = _positive_int(data.get("words", 1000), f"{where}: words")
    topic = data.get("topic")
    if topic is not None and not isinstance(topic, str):  # (0, false or [] meant no topic)
        raise UserError(f"{where}: topic must be a string (a query), not {topic!r}"[:300])
    topic = topic or None
    description = data.get("description")
    if description is not None and not isinstance(description, str):
        raise UserError(f"{where}: description must be a string, not {description!r}"[:300])
    if topic is not None and not topic.strip():
        topic = None  # blank: no topic, as ""
    if topic is not None and not tokens(topic):  # it filtered nothing: every article was briefed
        raise UserError(f"{where}: topic {topic[:60]!r} has no word an article could contain "
                        "(punctuation, words such as 'the' and words in other scripts than "
                        "Latin letters are ignored)")
    max_stories = _positive_int(data.get("max_stories", 8), f"{where}: max_stories")
    about = data.get("stories_about", [])
    if isinstance(about, str):
        about = [about] if about.strip() else []
    if not isinstance(about, list) or not all(isinstance(a, str) and a.strip() for a in about):
        raise UserError(f"{where}: stories_about must be a list of terms or names (strings)")
    for term in about:  # matched by its words: one with none matched no story, ever
        if not tokens(term):
            raise UserError(f"{where}: stories_about {term[:60]!r} has no word a story could "
                            "mention (punctuation and words such as 'the' are ignored)")
    raw_sections = data.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        raise UserError(f"{where}: sections must be a non-empty list of [[sections]] tables")
    sections: list[SectionDef] = []
    for i, sec in enumerate(raw_sections, 1):
        here = f"{where}: sections #{i}"
        if isinstance(sec, str):
            sec = {"kind": sec}
        if not isinstance(sec, dict) or "kind" not in sec:
            raise UserError(f"{here} needs a kind ({', '.join(SECTION_KINDS)})")
        extra = _unknown_fields(sec, SECTION_FIELDS)
        if extra:
            raise UserError(f"{here}: {extra}")
        try:
            kind = section_kind(str(sec["kind"]))
        except UserError as exc:
            raise UserError(f"{here}: {exc.message}") from exc
        if any(s.kind == kind for s in sections):
            raise UserError(f"{here}: section {kind} appears twice")
        max_items = _positive_int(sec.get("max_items", 10), f"{here}: max_items")
        max_words = sec.get("max_words")
        if max_words is not None:
            max_words = _positive_int(max_words, f"{here}: max_words")
        sec_title = sec.get("title")
        if sec_title is not None and (not isinstance(sec_title, str) or not sec_title.strip()):
            raise UserError(f"{here}: title must be a non-empty string")
        sections.append(SectionDef(kind, max_items, max_words, sec_title))
    schedule = None
    if "schedule" in data:
        sched = data["schedule"]
        if not isinstance(sched, dict) or "cron" not in sched:
            raise UserError(f"{where}: [schedule] needs cron = \"m h dom mon dow\"")
        unknown = _unknown_fields(sched, SCHEDULE_FIELDS)
        if unknown:  # a misspelt "timzone" silently meant UTC
            raise UserError(f"{where}: [schedule] {unknown}")
        for key in ("cron", "timezone"):  # str() of a list would be parsed as a cron
            if key in sched and not isinstance(sched[key], str):
                raise UserError(f"{where}: [schedule] {key} must be a string, not "
                                f"{sched[key]!r}"[:300])
        cron = sched["cron"]
        tz = sched.get("timezone", "UTC")
        validate_schedule(cron, tz, where)
        on_empty = sched.get("on_empty", "post")
        if on_empty not in ("post", "skip"):
            raise UserError(f"{where}: [schedule] on_empty must be \"post\" or \"skip\"")
        schedule = Schedule(cron, tz, on_empty)
    return DigestDef(name, title.strip(), tuple(sections), words, topic, schedule, path,
                     max_stories, tuple(a.strip() for a in about))


SCHEDULE_FIELDS = frozenset({"cron", "timezone", "on_empty"})
SECTION_FIELDS = frozenset({"kind", "max_items", "max_words", "title"})


def _unknown_fields(given: Iterable[str], known: Collection[str]) -> str | None:
    """"unknown field(s) wordz (did you mean 'words'?); known: …" for the fields of `given`
    not in `known`, each close to a known one with its guess, as the config's unknown keys
    are answered ("max_item" of a section was "unknown field(s) max_item", naming none
    known); None when all are known."""
    unknown = sorted(set(given) - set(known))
    if not unknown:
        return None
    named = []
    for name in unknown:
        guess = difflib.get_close_matches(str(name), sorted(known), n=1)
        named.append(f"{name} (did you mean {guess[0]!r}?)" if guess else str(name))
    return f"unknown field(s) {', '.join(named)}; known: {', '.join(sorted(known))}"


def validate_schedule(cron: str, timezone: str, where: str = "schedule") -> None:
    """The same validation as subscriptions (standard cron day-of-week, IANA zones)."""
    try:
        trigger = make_trigger(cron, timezone)
    except UserError as exc:
        raise UserError(f"{where}: {exc.message}") from exc
    # (as `subscriptions.add_subscription` refuses it: "0 8 30 2 *" passed here, and every
    # subscription to the digest was refused, naming neither the file nor the field)
    if never_fires(trigger, timezone):
        raise UserError(f"{where}: [schedule] cron {cron!r} never fires ({never_fires_why(cron)})")


def unknown_digest(name: str, names: list[str]) -> UserError:
    """The refusal of a digest name no definition has, naming the one meant when it is close
    ("Daily", "dialy", "DIALY": did you mean 'daily'?), as an unknown time zone is: the one
    wording of `briefbot digest`, a scheduled post's, /brief's, /subscribe's and `schedule
    add`'s (/brief gave no guess). The name is said back as every digest name typed is
    (`said_back_name`: a look-alike letter escaped, 40 characters and "…"; /subscribe cut it
    at 60)."""
    guess = closest_name(name, names)
    hint = f"did you mean {guess!r}? " if guess else ""
    return UserError(f"no digest named {said_back_name(name)}; {hint}available: "
                     f"{', '.join(names) or 'none'}")


def load_definition(folder: Path | None, name: str) -> DigestDef:
    """The definition `name` from `folder` (e.g. digests/daily.toml)."""
    if not _NAME.match(name):
        raise UserError(f"invalid digest name {said_back_name(name)} (ASCII letters, digits, - "
                        "and _ only)")
    if folder is None:
        raise UserError("no digest folder configured ([digests] folder in config)")
    path = folder / f"{name}.toml"
    kind = wrong_kind(path)
    if kind is not None:  # (it was "no digest named 'daily' … available: daily, weekly")
        raise UserError(f"the digest definition {quoted_if_unprintable(path)} is {kind}, not a file")
    if not is_listed_digest(folder, name):  # (where case is ignored, "DAILY" read daily.toml)
        names = available(folder)
        unknown = (unknown_digest(name, names).message if names else
                   f"no digest named {said_back_name(name)} (no definitions in {quoted_if_unprintable(folder)})")
        raise UserError(unknown + misnamed_digests_note(folder))
    try:
        data = loads_toml(read_utf8_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{quoted_if_unprintable(path)} is not valid TOML: {exc}") from exc
    except OSError as exc:  # not readable by the bot's user, an I/O error
        raise UserError(f"cannot read {quoted_if_unprintable(path)}: {exc.strerror or exc}") from exc
    return parse_definition(name, data, path)


def load_all(folder: Path) -> list[DigestDef]:
    return [load_definition(folder, n) for n in available(folder)]
