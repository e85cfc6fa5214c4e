"""What a URL may show: no user name or password before its host, no value of a query
parameter that conventionally carries a secret (`api_key`, `token`, `sig`, …) and no path
segment that is a key (`is_secret_segment`: "/services/T0001/B0002/***1a2b", the key's
fingerprint after the stars, `masked_segment`). A feed's URL
(`bot.feeds`) and an article's link (`bot.reply.shown_link`: the Sources of a briefing, a
claim's citations, `/source`, `briefbot sources`) are shown and logged so; what is stored and
fetched keeps them.

Imports nothing of bot."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import unquote

# White space before the URL, and a tab or line break inside its scheme, are dropped as
# browsers (and `bot.reply.link`) drop them: " https://alice:pw@host/" (a JSONL `url` is
# stored as written) kept its password in `shown_url`; so did "https:\\alice:pw@host/" (a
# backslash is a slash there to a browser).
_AUTHORITY = re.compile(r"^(\s*(?:[A-Za-z][A-Za-z0-9+.\t\r\n-]*:)?)[/\\]{2}([^/?#\\]*)")


def without_credentials(url: str) -> str:
    """`url` as it may be shown or logged: a user name or password before its host
    ("https://alice:s3cret@example.com/feed") replaced by "***" ("https://***@example.com/feed"),
    however malformed the rest; any other URL as it is."""
    m = _AUTHORITY.match(url)
    if m is None or "@" not in m.group(2):
        return url
    host = m.group(2).rpartition("@")[2]
    return f"{m.group(1) or ''}//***@{host}{url[m.end():]}"


# Query parameter names that conventionally carry a secret (an API key, an access token, a
# signature, a password): a word of the name (split at anything not a letter or digit:
# "api_key", "X-Amz-Signature", "access.token") is one of `_SECRET_WORDS`, or the name run
# together ends with one of `_SECRET_ENDINGS` ("accessToken", "clientSecret"), or its last
# word ends in "key" as a key's name does (`_names_a_key`: "apiKey", "clientkey").
_SECRET_WORDS = frozenset({
    "key", "apikey", "token", "secret", "sig", "signature", "password", "passwd", "pwd",
    "pass", "passphrase", "auth", "authorization", "credential", "credentials", "session",
    "sessionid", "jwt", "hmac", "otp"})
_SECRET_ENDINGS = ("token", "secret", "sig", "signature", "password", "passwd",
                   "credential", "credentials", "sessionid", "sessid")  # jsessionid, PHPSESSID
# "key" ends English words ("hockey", "turkey", "monkey", "whiskey", "jockey", "malarkey"),
# so a word ending in it names a key only when the "key" starts a word of its own: after a
# camelCase boundary ("apiKey", "hmacKey", "v2Key"), or after a word that says what the key
# is for (`_KEY_OWNERS`: "apikey", "secretkey", "LICENSEKEY"). ("?hockey=nhl" was a secret:
# its value "***", and the article's link shown as code.)
_KEY_OWNERS = (
    "api", "access", "secret", "private", "priv", "client", "consumer", "app", "auth",
    "pass", "master", "license", "licence", "dev", "developer", "subscription", "subscribe",
    "publish", "account", "user", "session", "sign", "signing", "encryption", "crypt",
    "hmac", "shared", "service", "partner", "admin", "write", "read", "ingest", "site",
    "product", "webhook")
_CAMEL_KEY = re.compile(r"[a-z0-9](?:Key|KEY)\Z")
_WORD = re.compile(r"[a-z0-9]+")
REDACTED = "***"
# A parameter of a query (or of a fragment, "#access_token=…"): after "?", "&", ";" (and
# "&amp;") or "#", up to the next separator, quote, bracket or white space (a URL quoted or
# bracketed in a message), a sentence's punctuation at its end given back to the sentence
# ("…?key=K: x"; `_SENTENCE_END`). Read greedily, in linear time: a lazy value tried the
# punctuation that follows at each of its characters (a server's 60,000 dots: 30 s).
# A "?" starting another parameter ends a value ("?next=/a?token=…"), as in `redact_url`.
_PARAMETER = re.compile(r"(?<=[?&;#])([^=&;#?\s'\"<>]+)="
                        r"((?:[^?&;#\s'\"<>|()\[\]]|\?(?![^=&;#?\s'\"<>]+=))+)")
_SENTENCE_END = ".,:!?"


# A parameter of one URL (`redact_url`): after "?", "&", ";" or "#", its value runs to the next
# "&", ";" or "#", or to a "?" starting another parameter ("?next=/a?token=…"), whatever it
# holds: a bar, a quote, a bracket, a space or a final "." is the value's, not the end of a
# URL in a sentence (`_PARAMETER` took them so, and showed the rest of the value).
_URL_PARAMETER = re.compile(r"(?<=[?&;#])([^=&;#?]+)=([^&;#]+?)(?=[&;#]|\?[^=&;#?]*=|\Z)")


def is_secret_parameter(name: str) -> bool:
    """Whether a query parameter's name is one that conventionally carries a secret: `key`,
    `api_key`, `apiKey`, `token`, `access_token`, `secret`, `sig`, `signature`, `password`,
    `X-Amz-Credential`, `auth`, `session`, …"""
    name = unquote(name)
    words = _WORD.findall(name.lower())
    return (any(w in _SECRET_WORDS for w in words)
            or "".join(words).endswith(_SECRET_ENDINGS) or _names_a_key(name))


def _names_a_key(name: str) -> bool:
    """Whether a name's last word (letters and digits) ends in a "key" that is a word of its
    own: after a camelCase boundary ("apiKey") or a word of `_KEY_OWNERS` ("apikey",
    "client_secretkey"), not the end of an English word ("hockey", "monkey")."""
    last = re.findall(r"[A-Za-z0-9]+", name)[-1:]
    if not last or not last[0].lower().endswith("key"):
        return False
    return bool(_CAMEL_KEY.search(last[0])) or last[0][:-3].lower().endswith(_KEY_OWNERS)


# A secret in a URL's path (a private feed's key, a webhook's token: `is_secret_segment`).
# A segment is read up to the next "/", "?", "#" or ";" (and, in a message, white space, a
# quote or a bracket); percent-escapes are read as what they stand for.
_SEGMENT_CHARS = re.compile(r"[A-Za-z0-9_~+=.-]+")  # what a key's text is made of (ASCII)
_EXTENSION = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,4}\Z")  # "….rss", "….json": kept
_SEPARATORS = re.compile(r"[_~+=.-]+")
_RUNS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[A-Z]|[0-9]+")  # "NATOSummit": NATO, Summit
_LETTER = re.compile(r"[A-Za-z]")
_DIGIT = re.compile(r"[0-9]")
# A segment that names the key after it ("/rss/token/KEY", "/feeds/private/KEY/rss.xml").
_KEY_SEGMENTS = frozenset({
    "key", "keys", "apikey", "api_key", "api-key", "token", "tokens", "access_token",
    "auth_token", "secret", "secrets", "private", "private_token"})
_TOKEN_CHARS = 20  # a segment this long is a key by its shape alone
_TOKEN_CHARS_AFTER_NAME = 8  # after a segment of `_KEY_SEGMENTS`


def _is_word(piece: str) -> bool:
    """Whether a piece of a segment (between "-", "_", ".", …) reads as words: at least 3
    letters, each run of letters a lower-case word of 3 or more or a capitalised one of 2 or
    more, run together with numbers ("putin", "WorldCup2022Final", "WarOfTheWorlds"), or one
    upper-case word ("NATO"). A key's
    letters and digits, random, have short runs of letters between its digits and case
    changes ("q2W8eRt5", "3f9a0c5e", "eb6cbab6cd")."""
    if len(_LETTER.findall(piece)) < 3:
        return False
    if piece.isalpha() and piece.isupper():
        return True
    return all(r.isdigit() or (r[1:].islower() and (len(r) >= 3 or r[0].isupper()))
               for r in _RUNS.findall(piece))


def _reads_as_words(stem: str) -> bool:
    """Whether a segment reads as words, an article's slug: one piece that does
    (`_is_word`); or, split at "-", "_", "." …, two pieces or more that do ("israel-hamas-war-
    news-10-17-2023-0e4b43e4f0d1b0f4b1b0f4b1b0f4b1b0"), or one with only numbers and short
    words beside it ("uk-politics-69123456"). A key's random pieces seldom make two words,
    and a word among them has random pieces beside it."""
    pieces = [p for p in _SEPARATORS.split(stem) if p]
    words = sum(map(_is_word, pieces))
    return words >= 2 or words == 1 and all(
        _is_word(p) or p.isdigit() or (p.isalpha() and len(p) <= 2) for p in pieces)


def is_secret_segment(segment: str, after_name: bool = False) -> bool:
    """Whether a URL path's segment (its file extension aside: "KEY.rss") is a key, shown as
    "***": ASCII letters, digits, "-", "_", ".", "~", "+", "=", with a letter, that does not
    read as words (`_reads_as_words`), and at least 20 characters: a token, a hash, a
    webhook's key, a UUID ("3f9a0c5e7b1d4a2f8e6c9b0a1d2e3f4a", "q2W8eRt5yU1iO9pA3sD7fG4h"),
    not an article's slug ("putin-kim-sign-mutual-defense-pact-2024-06-19") nor a number
    ("123456789"). Or at least 8 when `after_name`, the segment before it being "token",
    "key", "secret", "private", … (`_KEY_SEGMENTS`): "/rss/token/Zx8kq2Pw", and then one
    piece with a digit in it too ("/token/Feed2024x"), but no slug ("/key/2024-budget-talks").
    A key of lower-case letters alone reads as a word and is shown."""
    text = unquote(segment)
    stem = text[:-len(m.group(0))] if (m := _EXTENSION.search(text)) else text
    if (len(stem) < (_TOKEN_CHARS_AFTER_NAME if after_name else _TOKEN_CHARS)
            or not _SEGMENT_CHARS.fullmatch(stem) or not _LETTER.search(stem)):
        return False
    # (after a key's name, one piece with a digit is a key: "/token/Feed2024x")
    return not _reads_as_words(stem) or (after_name and bool(_DIGIT.search(stem))
                                         and not _SEPARATORS.search(stem))


def masked_segment(key: str) -> str:
    """How a path's key (`is_secret_segment`, its file extension aside) is shown: "***" and a
    fingerprint of it, 4 hex digits of a hash of its text (percent-escapes read: the same key
    however written) ("***1a2b"), so that two
    URLs that differ only by their keys (two Google News topic feeds,
    "…/rss/topics/CAAq…?hl=en-US") are told apart, and the same key reads the same in
    `/feeds`, the CLI and the log. 16 bits of a hash tell two keys apart (two share one
    once in 65,536) and show no character of the key: a guess at it could be checked only
    that far, one in 65,536 wrong guesses passing, which leaves a key of 8 random characters
    or more (2^40 and up) unknown."""
    digest = hashlib.blake2s(key.encode("utf-8", "replace"), digest_size=2,
                             person=b"brfbotfp").hexdigest()
    return REDACTED + digest


# A segment shown so already ("***", "***1a2b", with its extension): kept as it is.
_MASKED = re.compile(r"\*\*\*(?:[0-9a-f]{4})?\Z")


def _redacted_segment(segment: str) -> str:
    """`segment` as shown: "***" and its fingerprint (`masked_segment`), its file extension
    kept ("***1a2b.rss"); one shown so already (percent-encoded since: `bot.reply.link`
    gives "*" as "%2A", a chat markup character) as it was."""
    text = unquote(segment)
    m = _EXTENSION.search(text)
    stem = text[:-len(m.group(0))] if m else text
    return (stem if _MASKED.match(stem) else masked_segment(stem)) + (m.group(0) if m else "")


def _is_key_name(segment: str) -> bool:
    return unquote(segment).lower() in _KEY_SEGMENTS


# A segment in a message (`redact_secrets`): after a "/" (not the "//" before a host), up to
# the next "/", "?", "#", ";", white space, quote or bracket. Segments never overlap: linear.
_MESSAGE_SEGMENT = re.compile(r"(?<=/)(?<!//)[^/?#;\s'\"<>|()\[\]\\]+")


def _redact_message_paths(text: str) -> str:
    """`text` with every path segment that is a key (`is_secret_segment`) replaced by "***",
    a sentence's punctuation after it given back to the sentence."""
    out: list[str] = []
    at = 0
    before: re.Match[str] | None = None  # the segment just before, "/" between
    for m in _MESSAGE_SEGMENT.finditer(text):
        segment = m.group(0).rstrip(_SENTENCE_END)
        after_name = (before is not None and before.end() + 1 == m.start()
                      and _is_key_name(before.group(0)))
        if segment and is_secret_segment(segment, after_name):
            out += [text[at:m.start()], _redacted_segment(segment)]
            at = m.start() + len(segment)
        before = m
    return "".join(out) + text[at:] if out else text


def _redact_path(url: str, by_shape: bool = True) -> str:
    """One URL with every path segment that is a key (`is_secret_segment`) replaced by
    "***"; its scheme, host, query and fragment as they are. Without `by_shape` (an article's
    link), only a segment after a key's name ("/token/KEY") is one."""
    start = m.end() if (m := _AUTHORITY.match(url)) else 0
    end = min((i for i in (url.find("?", start), url.find("#", start)) if i >= 0),
              default=len(url))
    segments = url[start:end].split("/")
    changed = False
    for i, part in enumerate(segments):
        segment, semicolon, params = part.partition(";")  # "/a;jsessionid=…"
        after_name = i > 0 and _is_key_name(segments[i - 1].partition(";")[0])
        # (or one left out already, and percent-encoded since: `bot.reply.link` gives "***"
        # as "%2A%2A%2A", a chat markup character)
        if segment and ((by_shape or after_name) and is_secret_segment(segment, after_name)
                        or _MASKED.match(_EXTENSION.sub("", unquote(segment)))):
            segments[i] = _redacted_segment(segment) + semicolon + params
            changed = True
    return url[:start] + "/".join(segments) + url[end:] if changed else url


# A user name or password before a host in a message ("… last to https://u:pw@host/"): up to
# the "@" before the host, no "/", white space, quote or bracket in it. Linear: "//" starts one.
_MESSAGE_CREDENTIALS = re.compile(r"(?<=//)[^/?#@\s'\"<>|()\[\]\\]+@")


def redact_secrets(text: str) -> str:
    """`text` (a URL, or a message naming URLs) with the value of every query parameter that
    conventionally carries a secret (`is_secret_parameter`) replaced by "***":
    "https://example.com/feed?api_key=***&lang=en", every path segment that is a key
    (`is_secret_segment`): "https://example.com/feeds/private/***/rss.xml", and a user name
    or password before a host: "https://***@example.com/" (a redirect's `Location` in a
    reason). What is fetched keeps them; only what is shown or logged loses them."""
    if "@" in text:
        text = _MESSAGE_CREDENTIALS.sub(f"{REDACTED}@", text)
    if "/" in text:
        text = _redact_message_paths(text)
    if "=" not in text:
        return text

    def one(m: re.Match[str]) -> str:
        value = m.group(2).rstrip(_SENTENCE_END)
        if not value or not is_secret_parameter(m.group(1)):
            return m.group(0)
        return f"{m.group(1)}={REDACTED}{m.group(2)[len(value):]}"

    return _PARAMETER.sub(one, text)


def redact_url(url: str, by_shape: bool = True) -> str:
    """One URL with the value of every parameter of its query, fragment or path (";name=")
    that conventionally carries a secret replaced by "***", whole: `redact_secrets` reads
    a message, where a URL ends at a space, a quote or a bracket; a URL's value goes on to
    its next separator. A path segment that is a key (`is_secret_segment`) is "***" too:
    without `by_shape`, an article's link (`shown_article_url`), only one after a key's name
    ("/token/KEY"), since many publishers' article ids look like keys ("ft.com/content/UUID",
    Google News' "/rss/articles/CBMi…"), and shown as a key they were no link to follow."""
    if "/" in url:
        url = _redact_path(url, by_shape)
    if "=" not in url:
        return url
    return _URL_PARAMETER.sub(lambda m: f"{m.group(1)}={REDACTED}" if is_secret_parameter(
        m.group(1)) else m.group(0), url)


def shown_url(url: str) -> str:
    """`url` as it may be shown or logged: no user name or password (`without_credentials`),
    no secret parameter's value and no key in its path (`redact_url`)."""
    return redact_url(without_credentials(url))


def shown_article_url(url: str) -> str:
    """An article's link as it may be shown or logged: `shown_url`, but a path segment is a
    key only after a key's name ("/token/KEY"; `redact_url` without `by_shape`)."""
    return redact_url(without_credentials(url), by_shape=False)


def is_redacted(shown: str) -> bool:
    """Whether a URL as shown (`shown_url`) lost a secret: it is no link to follow."""
    return f"//{REDACTED}@" in shown or f"={REDACTED}" in shown or f"/{REDACTED}" in shown
