"""Break-it findings on `reload` (breakit9)."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from pathlib import Path

import pytest

from tests.test_ingest_reload import article, outcomes, reload, run


def _zip(names: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in names.items():
            z.writestr(name, text)
    return out.getvalue()


RTF = (b"{\\rtf1\\ansi\\ansicpg1252\\cocoartf2709\n{\\fonttbl\\f0\\fswiss\\fcharset0 Helvetica;}\n"
       b"\\paperw11900\\paperh16840\\margl1440\\margr1440\n\\f0\\fs24 \\cf0 Council approves "
       b"bridge\\\n\\\nThe city council voted on Tuesday to approve a new bridge.}\n")
DOCUMENTS = {
    "report.txt": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
                   "a PDF document", "pdftotext"),
    "memo.txt": (_zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"}),
                 "a ZIP archive (a .docx, .odt or .epub document?)", "plain text"),
    "book.md": (_zip({"mimetype": "application/epub+zip", "OEBPS/a.xhtml": "<p>Hi</p>"}),
                "a ZIP archive", "plain text"),
    "notes.txt": (RTF, "an RTF document", "Make Plain Text"),
    "old.txt": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "the old format (.doc, .xls)",
                "plain text"),
    "feed.md": (gzip.compress(article("Ports reopen").encode()), "a gzip-compressed file",
                "gunzip"),
}


def test_documents_of_other_formats_renamed_txt_say_what_they_are(tmp_path: Path) -> None:
    """A PDF, a Word, OpenDocument or EPUB file (ZIP), an old Office file or a gzip file named
    .txt or .md was rejected as "binary file (NUL bytes)" or "undecodable: not UTF-8 (byte 0xe2
    at offset 10)", not saying what it is; an RTF file (TextEdit's and WordPad's format, all
    ASCII) was loaded, its markup as the article: title "{\\rtf1\\ansi…", "sentences"
    "\\paperw11900\\paperh16840…". Each is now rejected naming its format and what to do."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, (data, _, _) in DOCUMENTS.items():
        (corpus / name).write_bytes(data)
    (corpus / "fine.txt").write_text(article("Ports reopen"), encoding="utf-8")
    db = tmp_path / "b.db"
    res = reload(db, corpus)
    assert res.exit_code == 1, res.output
    got = outcomes(res)
    assert got["fine.txt"] == "added"
    for name, (_, what, todo) in DOCUMENTS.items():
        assert got[name].startswith("rejected — ") and what in got[name], got[name]
        assert "not plain text" in got[name] and todo in got[name], got[name]
    assert run(db, "source", "notes").exit_code == 1  # the RTF file is no document


def test_a_document_named_by_its_own_extension_is_told_what_to_do(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("a.pdf", "b.docx", "c.rtf", "d.epub", "e.odt"):
        (corpus / name).write_bytes(b"x")
    got = outcomes(reload(tmp_path / "b.db", corpus))
    assert "pdftotext" in got["a.pdf"]
    for name in ("b.docx", "c.rtf", "d.epub", "e.odt"):
        assert "unsupported file type" in got[name] and "save or export it as plain text" in got[name]


def test_a_jsonl_file_cut_in_its_last_line_says_so(tmp_path: Path) -> None:
    """A JSONL file read while a scraper appends to it (or a download cut short) ends in a
    line without its newline, cut inside the JSON: it was "malformed JSON: Unterminated
    string starting at (column 18)", as a line broken in the middle of a file would be."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    good = '{"id": "a", "text": "The council voted on Tuesday to approve the budget."}\n'
    db = tmp_path / "b.db"
    for cut in ('{"id": "b", "text": "The mayor op', '{"id": "b", "te', '{"id": "b", "text": "x"'):
        (corpus / "live.jsonl").write_text(good + cut, encoding="utf-8")
        got = outcomes(reload(db, corpus))
        assert got["live.jsonl:2"].startswith("rejected — malformed JSON: ")
        assert "the file's last line stops there, with no newline after it" in got["live.jsonl:2"]
    for broken in ('{"id": "b", "text": "x" oops}', '{"id": "b", "text": "The mayor op\n',
                   '{"id": "b", "text": "The mayor op\r\n' + good):
        (corpus / "live.jsonl").write_bytes((good + broken).encode("utf-8"))
        got = outcomes(reload(db, corpus))
        assert got["live.jsonl:2"].startswith("rejected — malformed JSON: ")
        assert "no newline" not in got["live.jsonl:2"]
        # A line cut inside a string: its own end was read into it ("Invalid control character").
        if "mayor" in broken:
            assert "Unterminated string" in got["live.jsonl:2"], got["live.jsonl:2"]


FRONT_MATTER = {
    "jekyll.md": ('---\ntitle: "Council approves harbour bridge"\nauthor: Jane Okafor\n'
                  "date: 2024-05-02\ntags: [city, bridge]\nlayout: post\n---\n\n"),
    "hugo.md": ('+++\ntitle = "Council approves harbour bridge"\nauthors = ["Jane Okafor"]\n'
                "date = 2024-05-02T10:00:00Z\n+++\n\n# Council approves harbour bridge\n\n"),
    "obsidian.md": ("---\naliases:\n  - bridge\nauthor:\n  - Jane Okafor\ncreated: 2024-05-02\n"
                    "---\nCouncil approves harbour bridge\n\n"),
}
BODY = ("The city council voted 9 to 4 on Tuesday to approve a new bridge across the harbour.\n\n"
        "Mayor Ann Lindqvist said construction would start next spring.\n")


def test_markdown_front_matter_gives_the_metadata_and_is_no_text(tmp_path: Path) -> None:
    """A Markdown file with the front matter static-site generators and note apps write
    (Jekyll's YAML, Hugo's TOML, Obsidian's) had its first line for its title, `title:
    "Council approves harbour bridge"` (key, quotes and all, or `+++`), and the rest of the
    block for text: "layout: post", 'title = "..."' and 'date = ...' were sentences, the TOML
    date was lost. Its title, author and date are the article's now; the block is no text,
    nor a heading repeating its title."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, front in FRONT_MATTER.items():
        (corpus / name).write_text(front + BODY, encoding="utf-8")
    # a file that opens with a Markdown rule is no front matter
    (corpus / "rule.md").write_text("---\nCouncil approves harbour bridge\n---\n\n" + BODY,
                                    encoding="utf-8")
    db = tmp_path / "b.db"
    res = reload(db, corpus)
    assert res.exit_code == 0, res.output
    for name in FRONT_MATTER:
        doc = json.loads(run(db, "source", name[:-3], "--json").stdout)
        assert (doc["title"], doc["author"], doc["published"]) == (
            "Council approves harbour bridge", "Jane Okafor", "2024-05-02"), (name, doc)
        assert doc["text"] == BODY.strip(), (name, doc["text"])
    doc = json.loads(run(db, "source", "rule", "--json").stdout)
    assert "Mayor Ann Lindqvist" in doc["text"]


def test_a_windows_1252_file_is_told_how_to_convert_it(tmp_path: Path) -> None:
    """A file saved in Windows' "ANSI" encoding (Notepad, Excel) is the most common file
    refused as not UTF-8; it was told only "undecodable: not UTF-8 (byte 0xe9 at offset
    61)". It is told its line and how to convert it."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "latin.txt").write_bytes(
        "Café owners protest\n\nThe owners of the city's cafés protested on Monday.\n"
        .encode("cp1252"))
    (corpus / "other.txt").write_bytes(b"Title\n\nText \x81\x8d of no known encoding.\n")
    # Cyrillic, Greek, Hebrew in their Windows code pages read as Windows-1252 too: following
    # that hint loaded "Ïðåçèäåíò Ðîññèè"
    for name, text, codec in (("ru.txt", "Президент России\n\nВизит в Пхеньян.\n", "cp1251"),
                              ("el.txt", "Πρόεδρος\n\nΕπίσκεψη στην Πιονγκγιάνγκ.\n", "cp1253"),
                              ("he.txt", "נשיא רוסיה\n\nביקור בפיונגיאנג.\n", "cp1255")):
        (corpus / name).write_bytes(text.encode(codec))
    got = outcomes(reload(tmp_path / "b.db", corpus))
    for name in ("ru.txt", "el.txt", "he.txt"):
        assert "8-bit encoding of another script" in got[name] and "1252" not in got[name], \
            got[name]
    assert got["latin.txt"] == (
        "rejected — undecodable: not UTF-8 (byte 0xe9 at offset 3), line 1: save it as UTF-8; "
        "it reads as Windows-1252 (Western European, Windows' \"ANSI\"), e.g. "
        "`iconv -f windows-1252 -t utf-8 FILE > NEW.txt`")
    assert got["other.txt"] == ("rejected — undecodable: not UTF-8 (byte 0x81 at offset 12), "
                                "line 3: save it as UTF-8")


PARAGRAPH = ("The city council voted 9 to 4 on Tuesday to approve a new bridge across the harbour. "
             "Mayor Ann Lindqvist said construction would start next spring. Opponents said "
             "they would challenge the vote in court.")


def test_a_first_line_of_sentences_is_text_not_a_title(tmp_path: Path) -> None:
    """A .txt file of an article's text alone, with no title line, had its first paragraph
    taken for the title: a one-paragraph file was rejected, "no article text below its title
    line", losing all its sentences, and a longer one lost its first paragraph's sentences
    from its text (they were the "title"). A first line of several sentences is text: the
    article is untitled and whole. A headline, even one ending in a period, is still the
    title."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "one.txt").write_text(PARAGRAPH + "\n", encoding="utf-8")
    (corpus / "two.txt").write_text(PARAGRAPH + "\n\n" + PARAGRAPH + "\n", encoding="utf-8")
    (corpus / "headline.txt").write_text("Council approves the harbour bridge.\n\n" + PARAGRAPH
                                         + "\n", encoding="utf-8")
    db = tmp_path / "b.db"
    res = reload(db, corpus)
    assert res.exit_code == 0, res.output
    for name, count in (("one", 3), ("two", 6)):
        doc = json.loads(run(db, "source", name, "--json").stdout)
        assert doc["title"] is None and doc["sentences"] == count, doc
        assert doc["text"].startswith("The city council voted 9 to 4")
    doc = json.loads(run(db, "source", "headline", "--json").stdout)
    assert doc["title"] == "Council approves the harbour bridge." and doc["sentences"] == 3


@pytest.mark.parametrize("bad", ["date = 2024-02-30", "draft = yes please", 'title = "Again"',
                                 "tags = " + "[" * 1000 + "]" * 1000],
                         ids=["no-such-day", "unquoted", "key-twice", "nested-too-deep"])
def test_toml_front_matter_tomllib_refuses_is_still_no_text(tmp_path: Path, bad: str) -> None:
    # A `+++` block tomllib refused became the article's title ("+++") and sentences
    # ('title = "Council approves harbour bridge"'): each top-level line is read alone now.
    # (Nested ~1,000 deep, tomllib's parser ran out of stack: the file was rejected as "internal
    # error while parsing (RecursionError …)".)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "hugo.md").write_text(
        f'+++\ntitle = "Council approves harbour bridge"\nauthor = "Jane Okafor"\n{bad}\n'
        f"+++\n\n{BODY}", encoding="utf-8")
    db = tmp_path / "b.db"
    assert reload(db, corpus).exit_code == 0
    doc = json.loads(run(db, "source", "hugo", "--json").stdout)
    assert (doc["title"], doc["author"]) == ("Council approves harbour bridge", "Jane Okafor")
    assert doc["text"] == BODY.strip(), doc["text"]
    assert doc["published"] is None  # (2024-02-30 is no date)


def test_a_web_page_under_front_matter_is_refused_as_one(tmp_path: Path) -> None:
    # It loaded, "<!DOCTYPE html>" a sentence: only the file's very top was looked at.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "saved.md").write_text(
        '---\ntitle: "Saved page"\n---\n<!DOCTYPE html>\n<html><body><p>' + BODY
        + "</p></body></html>\n", encoding="utf-8")
    got = outcomes(reload(tmp_path / "b.db", corpus))
    assert got["saved.md"].startswith("rejected — an HTML page, not an article's text"), got


@pytest.mark.parametrize(("front", "title", "published"), [
    ("title: 'It''s the bridge'", "It's the bridge", None),  # was "It''s the bridge"
    ('title: "Say \\"yes\\" to the bridge"', 'Say "yes" to the bridge', None),  # backslashes
    ('title: "A long title\n  over two lines"', "A long title over two lines", None),  # '"A long title'
    ("title: Bridge\ndate: -0001-01-01", "Bridge", None),  # stored as 0001-01-01
    ("title: Bridge\ndate: 2024-05-02T25:00:00Z", "Bridge", None),  # stored as 2024-05-02
    ("title: Bridge\ndate: 2024-05-02T10:00:00Z", "Bridge", "2024-05-02"),
], ids=["single-quoted", "double-quoted", "two-lines", "signed-year", "hour-25", "good-date"])
def test_yaml_front_matter_values_are_read_as_yaml_writes_them(
        tmp_path: Path, front: str, title: str, published: str | None) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "post.md").write_text(f"---\n{front}\n---\n\n{BODY}", encoding="utf-8")
    db = tmp_path / "b.db"
    assert reload(db, corpus).exit_code == 0
    doc = json.loads(run(db, "source", "post", "--json").stdout)
    assert (doc["title"], doc["published"]) == (title, published), doc
    assert doc["text"] == BODY.strip(), doc["text"]


@pytest.mark.parametrize(("front", "header", "published"), [
    ("---\ntitle: Bridge\ndate: 0001-01-01\n---", "By Jane Doe\nMay 2, 2024\n\n", "2024-05-02"),
    ("---\ntitle: Bridge\ndate: 0001-01-01T00:00:00Z\n---", "", None),
    ("+++\ntitle = 'Bridge'\ndate = 0001-01-01T00:00:00Z\n+++", "By Jane Doe\nMay 2, 2024\n\n",
     "2024-05-02"),
    ("---\ntitle: Bridge\ndate: 0001-01-01T00:00:00Z\npublishdate: 2024-05-03\n---", "",
     "2024-05-03"),
    # An unreadable first date key hid a later good one: no date.
    ("---\ntitle: Bridge\ndate: someday\npublished: 2024-05-02\n---", "", "2024-05-02"),
    ("+++\ntitle = 'Bridge'\ndate = '2024-02-30'\npubdate = 'May 3, 2024'\n+++", "",
     "2024-05-03"),
    ("---\ntitle: Bridge\ndate: someday\n---", "By Jane Doe\nMay 2, 2024\n\n", "2024-05-02"),
    # The Unix epoch (a timestamp 0 written out) likewise; another time of its day is a date.
    ("---\ntitle: Bridge\ndate: 1970-01-01T00:00:00Z\n---", "By Jane Doe\nMay 2, 2024\n\n",
     "2024-05-02"),
    ("+++\ntitle = 'Bridge'\ndate = 1970-01-01T00:00:00Z\npubdate = 2024-05-03\n+++", "",
     "2024-05-03"),
    ("---\ntitle: Bridge\ndate: '1970-01-01'\n---", "", None),
    ("---\ntitle: Bridge\ndate: 1970-01-01T09:15:00Z\n---", "By Jane Doe\nMay 2, 2024\n\n",
     "1970-01-01"),
], ids=["yaml-under-a-header-date", "yaml-go-zero-time", "toml-under-a-header-date",
        "a-later-date-key", "after-an-unreadable-key", "toml-after-an-impossible-date",
        "unreadable-under-a-header-date", "yaml-epoch-under-a-header-date",
        "toml-epoch-then-a-later-key", "yaml-epoch-day", "yaml-a-time-of-the-epoch-day"])
def test_a_front_matter_zero_or_unread_date_is_no_date(tmp_path: Path, front: str,
                                                       header: str,
                                                       published: str | None) -> None:
    # Hugo's "no date" (Go's zero time, 0001-01-01), and the Unix epoch, were stored as the
    # article's date, over the date its header line gives and a later date key; a date key
    # not read as a date
    # ("someday") hid a later key's date.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "post.md").write_text(f"{front}\n\n{header}{BODY}", encoding="utf-8")
    db = tmp_path / "b.db"
    assert reload(db, corpus).exit_code == 0
    doc = json.loads(run(db, "source", "post", "--json").stdout)
    assert (doc["title"], doc["published"]) == ("Bridge", published), doc
    assert doc["text"] == BODY.strip(), doc["text"]


def test_a_front_matter_alone_is_said_so(tmp_path: Path) -> None:
    # It was told "no article text below its title line (the first line … is its title)".
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "only.md").write_text("---\ntitle: Only front matter\n---\n", encoding="utf-8")
    got = outcomes(reload(tmp_path / "b.db", corpus))
    assert got["only.md"] == "rejected — no article text below its front matter", got
