"""What a URL may show: no user name or password before its host and no value of a query
parameter that conventionally carries a secret (`api_key`, `token`, `sig`, …). A feed's URL
(`bot.feeds`) and an article's link (`bot.reply.shown_link`: the Sources of a briefing, a
claim's citations, `/source`, `briefbot sources`) are shown and logged so; what is stored and
fetched keeps them.

Imports nothing of bot."""

from __future__ import annotations

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


def redact_secrets(text: str) -> str:
    """`text` (a URL, or a message naming URLs) with the value of every query parameter that
    conventionally carries a secret (`is_secret_parameter`) replaced by "***":
    "https://example.com/feed?api_key=***&lang=en". What is fetched keeps the value; only
    what is shown or logged loses it."""
    if "=" not in text:
        return text

    def one(m: re.Match[str]) -> str:
        value = m.group(2).rstrip(_SENTENCE_END)
        if not value or not is_secret_parameter(m.group(1)):
            return m.group(0)
        return f"{m.group(1)}={REDACTED}{m.group(2)[len(value):]}"

    return _PARAMETER.sub(one, text)


def redact_url(url: str) -> str:
    """One URL with the value of every parameter of its query, fragment or path (";name=")
    that conventionally carries a secret replaced by "***", whole: `redact_secrets` reads
    a message, where a URL ends at a space, a quote or a bracket; a URL's value goes on to
    its next separator."""
    if "=" not in url:
        return url
    return _URL_PARAMETER.sub(lambda m: f"{m.group(1)}={REDACTED}" if is_secret_parameter(
        m.group(1)) else m.group(0), url)


def shown_url(url: str) -> str:
    """`url` as it may be shown or logged: no user name or password (`without_credentials`)
    and no secret parameter's value (`redact_url`)."""
    return redact_url(without_credentials(url))


def is_redacted(shown: str) -> bool:
    """Whether a URL as shown (`shown_url`) lost a secret: it is no link to follow."""
    return f"//{REDACTED}@" in shown or f"={REDACTED}" in shown
