"""A feed's or a page's host must be a host name: an "xn--" label Punycode of an
international name (IDNA, as browsers read it). `briefbot feeds add http://xn--/` was
followed (a fuzzing session's find), failing at every poll; `fetch` takes the same check.
An ASCII label starting or ending with a hyphen is followed, as browsers and DNS take it
("jow-.github.io"). No test resolves a name: the resolver refuses every one."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from bot.cli.main import cli
from bot.errors import UserError
from bot.feeds.poll import check_feed_url
from bot.feeds.urls import host_name_problem


@pytest.fixture(autouse=True)
def no_resolving(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kw: Any) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "not resolved in tests")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.mark.parametrize(("url", "said"), [
    ("http://xn--/", "label 'xn--' has nothing after \"xn--\""),
    ("http://xn--zz.example/", "label 'xn--zz' is not Punycode"),
    ("http://XN--A.example/", "label 'xn--a' is Punycode of no valid international name"),
    ("http://xn--abc-.example/", "label 'xn--abc-' ends with a hyphen"),
    # a last label that is a number: an IPv4 address or nothing (WHATWG URL, browsers)
    ("http://999.1.1.1/", "'999.1.1.1' ends in a number, but is no IPv4 address"),
    ("http://1.2.3.4.5/feed", "'1.2.3.4.5' ends in a number, but is no IPv4 address"),
    ("http://news.2024/", "'news.2024' ends in a number, but is no IPv4 address"),
])
def test_a_host_with_an_xn_label_that_is_no_a_label_is_no_valid_host_name(
        tmp_path: Path, url: str, said: str) -> None:
    with pytest.raises(UserError, match="is no valid host name in") as err:
        check_feed_url(url)
    assert said in err.value.message, err.value.message
    runner = CliRunner()
    db = str(tmp_path / "b.db")
    res = runner.invoke(cli, ["--db", db, "feeds", "add", url])
    assert res.exit_code == 1 and isinstance(res.exception, SystemExit), res.output
    [line] = res.output.splitlines()  # one line, no traceback
    assert "is no valid host name in" in line and said in line, line
    assert not Path(db).exists()  # nothing stored (no database made for it)
    res = runner.invoke(cli, ["--db", db, "fetch", url])
    assert res.exit_code == 1 and isinstance(res.exception, SystemExit), res.output
    assert "rejected" in res.output and "is no valid host name in" in res.output, res.output
    assert said in res.output and "cannot resolve" not in res.output, res.output


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:9/f", "http://[::1]:8080/feed.xml", "http://localhost:8000/feed",
    "https://example.com./", "http://a_b.example.com/rss",
    "https://xn--bcher-kva.example/feed.xml", "https://XN--BCHER-KVA.example/feed.xml",
    "https://bücher.example/feed.xml", "https://faß.de/rss", "https://xn--fa-hia.de/rss",
    "https://xn--d1acufc.xn--p1ai/news", "https://xn----7sbfndkfpirgcajeli2a4pnc.xn--p1ai/",
    # an emoji's name, which browsers resolve (IDNA 2008 alone refuses it)
    "http://xn--ls8h.la/",
    # hyphens inside a label, two of them at its third and fourth place too
    "https://r4---sn-4g5e6nze.googlevideo.com/", "https://ab--cd.example/",
    # an ASCII label starting or ending with one: DNS holds it, browsers open it (a review's
    # find: refusing them refused "jow-.github.io", a GitHub Pages host)
    "https://jow-.github.io/feed.xml", "http://-a-.com/",
    # IPv4 addresses as the system reads them, and a last label holding a letter
    "http://127.1:8000/f", "http://0x7f.0.0.1/", "http://2130706433/", "http://news.2024a/",
])
def test_valid_hosts_are_still_followed(tmp_path: Path, url: str) -> None:
    assert check_feed_url(url) == url
    res = CliRunner().invoke(cli, ["--db", str(tmp_path / "b.db"), "feeds", "add", url])
    assert res.exit_code == 0 and res.output.strip() == "1", res.output


def test_host_name_problem_reads_the_ascii_host() -> None:
    assert host_name_problem("xn--bcher-kva.example") is None
    assert host_name_problem("2001:db8::1") is None  # an IPv6 literal
    assert host_name_problem("192.0.2.1") is None
    assert host_name_problem("xn--ls8h-.la") == "label 'xn--ls8h-' ends with a hyphen"
