"""Front matter of a Markdown file: the YAML (`---`) or TOML (`+++`) block at its top that
static-site generators and note apps write (Jekyll, Hugo, Astro, Obsidian). Its title, author
and date are the article's; the block is no part of its text. Read line by line, never as
YAML (an anchor, an alias or a core-schema tag read for the value it gives, no application's
type built); TOML with `tomllib`."""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from typing import Any

from bot.corpus.metadata import is_no_date, parse_date_field
from bot.paths import loads_toml

# The block: a fence line, then the lines up to the same fence, within the file's first 64 KB
# (lines ended as on Unix, Windows or old Macs, CR alone, as the text's are read).
_BLOCK = re.compile(r"\A\ufeff?(---|\+\+\+)[ \t]*(?:\r\n?|\n)(.*?)(?<=[\r\n])\1[ \t]*(?:\r\n?|\n|\Z)",
                    re.S)
_HEAD = 65_536
# A YAML line of a front matter block: "key: value", a list item, an indented continuation,
# a comment. Any other line (a sentence) and the block is no front matter: a file opening
# with a Markdown rule.
_YAML_KEY = re.compile(r"^([A-Za-z_][\w.-]*)[ \t]*:(?:[ \t]+(.*?))?[ \t]*$")
_YAML_OTHER = re.compile(r"^(?:[ \t]*#.*|[ \t]+\S.*|-[ \t].*|[ \t]*)$")
_TITLE_KEYS = ("title", "headline")
_AUTHOR_KEYS = ("author", "authors", "byline")
_DATE_KEYS = ("date", "published", "pubdate", "publishdate", "date_published", "created")


@dataclass
class FrontMatter:
    title: str | None
    author: str | None
    published: str | None
    body: str  # the text after the block


def split_front_matter(text: str) -> FrontMatter | None:
    """The front matter of `text` and the text after it, or None when it has none."""
    m = _BLOCK.match(text[:_HEAD])
    if m is None:
        return None
    fields = _toml(m.group(2)) if m.group(1) == "+++" else _yaml(m.group(2))
    if fields is None:
        return None
    return FrontMatter(_first(fields, _TITLE_KEYS), _names(fields, _AUTHOR_KEYS),
                       _date(fields), text[m.end():])


def _unquote(value: str) -> str:
    """A scalar's value: a quoted one as YAML reads it ('It''s' is "It's"; "Say \\"hi\\""
    has its escapes read), else as written."""
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == "'":
        value = value[1:-1].replace("''", "'")
    elif len(value) >= 2 and value[0] == value[-1] == '"':
        try:
            value = json.loads(value)  # YAML's double-quoted escapes are JSON's and more
        except ValueError:
            value = value[1:-1]
    return value.strip()


# A value's properties, before it: an anchor (`&name`) naming it for an alias (`*name`) and a
# tag (`!!str`) giving its type.
_PROPERTY = re.compile(r"(?:&([^\s\[\]{},]+)|(![^\s]*))(?:[ \t]+|$)")
# Tags whose value is read as written: the non-specific `!` and the YAML core schema's
# scalars. Any other (`!!python/object:os.system`, `!ruby/object`, `!Ref`) is an application's
# type, only it reads: the value is left out.
_READ_TAGS = ("!", "!!str", "!!int", "!!float", "!!timestamp")
# A block scalar's header: `|` or `>`, a chomping (+ -) and indentation (1-9) indicator, a
# comment.
_BLOCK_SCALAR = re.compile(r"^[|>](?:[+-]?[1-9]?|[1-9][+-])(?:[ \t]+#.*)?$")


def _properties(value: str) -> tuple[str, str | None, bool]:
    """`value` without its anchor and tag, the anchor's name, and whether the tag is one whose
    value is read (`_READ_TAGS`)."""
    anchor = None
    read = True
    while (m := _PROPERTY.match(value)) is not None:
        if m.group(1) is not None:
            anchor = m.group(1)
        else:
            read = read and m.group(2) in _READ_TAGS
        value = value[m.end():]
    return value, anchor, read


def _continued(line: str) -> bool:
    """A line of the value above it, a quoted scalar's or a block scalar's: blank or
    indented."""
    return not line.strip() or line[:1] in " \t"


def _yaml(block: str) -> dict[str, Any] | None:
    fields: dict[str, Any] = {}
    anchors: dict[str, Any] = {}
    key: str | None = None
    lines = block.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        m = _YAML_KEY.match(line)
        # (its anchor and tag first: '&t "A long' was the title, quote and all)
        value, anchor, read = _properties((m.group(2) or "").strip()) if m else ("", None, True)
        if m and value[:1] in ("'", '"') and not _closed(value):
            # A quoted scalar over several lines: its lines folded with spaces, as YAML does
            # (its first line, '"A long', was the title).
            parts = [value]
            while i < len(lines) and not _closed(" ".join(parts)) and _continued(lines[i]):
                parts.append(lines[i].strip())
                i += 1
            value = " ".join(p for p in parts if p)
        if m:
            key = m.group(1).lower()
            if not read:  # a value of an application's own type (`!!python/object:...`),
                key = None  # its block list's items too ('- echo x' was the author)
                continue
            if _BLOCK_SCALAR.match(value):
                # A folded (>) or literal (|) block: the indented lines under the key
                parts = []
                while i < len(lines) and _continued(lines[i]):
                    parts.append(lines[i].strip())
                    i += 1
                if any(parts):
                    fields[key] = (" " if value[0] == ">" else "\n").join(p for p in parts if p)
            elif value.startswith("*"):  # an alias: the value anchored before under that name
                if value[1:] in anchors:
                    fields[key] = anchors[value[1:]]
            elif value.startswith("[") and value.endswith("]"):
                fields[key] = [_unquote(v) for v in value[1:-1].split(",") if v.strip()]
            elif value and value[0] not in "|>&!{":  # a plain scalar, not YAML's other kinds
                fields[key] = _unquote(value.split(" #", 1)[0])
            if anchor is not None and key in fields:
                anchors[anchor] = fields[key]
            continue
        if not _YAML_OTHER.match(line):
            return None  # a sentence: not front matter
        item = line.strip()
        if key is not None and item.startswith("- "):  # a block list under the last key
            listed = fields.get(key)
            items = listed if isinstance(listed, list) else []
            items.append(_unquote(item[2:]))
            fields[key] = items
    return fields


# A top-level "key = value" line of a TOML block (before its first table).
_TOML_LINE = re.compile(r"^[ \t]*([A-Za-z_][\w-]*)[ \t]*=[ \t]*(.*?)[ \t]*$")


def _closed(value: str) -> bool:
    """Whether a scalar opening with a quote closes it (YAML's '' and \\" escapes kept in)."""
    quote = value[0]
    rest = value[1:].replace("''", "") if quote == "'" else re.sub(r"\\.", "", value[1:])
    return quote in rest


def _toml(block: str) -> dict[str, Any]:
    """The block's fields: all of it as TOML, or, when `tomllib` refuses it (a date that
    does not exist, an unquoted value, a key given twice), each top-level `key = value` line
    read alone, a value TOML refuses taken as written. A `+++` block is front matter
    whatever it holds: it became the article's title ("+++") and sentences."""
    try:
        doc = loads_toml(block)
    except (tomllib.TOMLDecodeError, ValueError):
        doc = {}
        for line in block.splitlines():
            if line.lstrip().startswith("["):
                break  # a table: past the top-level keys
            m = _TOML_LINE.match(line)
            if m is None or m.group(1).lower() in doc:
                continue
            try:
                doc[m.group(1).lower()] = loads_toml(f"v = {m.group(2)}")["v"]
            except (tomllib.TOMLDecodeError, ValueError):
                doc[m.group(1).lower()] = _unquote(m.group(2).split(" #", 1)[0])
    return {k.lower(): v for k, v in doc.items()}


def _first(fields: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = fields.get(key)
        if isinstance(value, list):
            value = value[0] if value else None
        if value is not None and not isinstance(value, (dict, bool)) and str(value).strip():
            return " ".join(str(value).split())
    return None


def _date(fields: dict[str, Any]) -> str | None:
    """The first date key's value that is read as a date (`parse_date_field`) and is no
    placeholder (`is_no_date`: the zero date, the Unix epoch), as `_first`: one that is not
    ("date: someday") hid a later key's."""
    for key in _DATE_KEYS:
        value = _first(fields, (key,))
        if value is not None and parse_date_field(value) is not None \
                and not is_no_date(value):
            return value
    return None


def _names(fields: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = fields.get(key)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
        if isinstance(value, list):
            names = [" ".join(str(v).split()) for v in value
                     if isinstance(v, str) and v.strip()]
            if names:
                return ", ".join(names)
    return None
