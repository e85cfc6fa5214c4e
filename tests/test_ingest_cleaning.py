"""Cleaning and metadata on hand-written scraped articles with OTHER chrome of the same kinds
as the seeds: the rules must be general, not a list of the seeds' lines."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.corpus.article import Article, parse_article
from bot.corpus.cleaning import clean_article, is_chrome, normalize_text
from bot.corpus.metadata import OutletCatalog, parse_date

CATALOG = OutletCatalog.load(Path(__file__).resolve().parent.parent / "config" / "outlets.txt")

BODY = [
    "Officials in Seoul said on Tuesday that the new agreement would be reviewed by parliament "
    "before the end of the year.",
    "The defence ministry added that joint drills were not planned for now, according to a "
    "statement released late in the evening.",
    "Analysts at several think tanks warned that the pact could shift the balance of power in "
    "the region for a decade or more.",
    "Critics of the government argued that the talks had been rushed and that key details "
    "remained secret.",
    "A spokesman for the foreign ministry declined to comment on the reports when reached by "
    "phone on Wednesday.",
    "Trade between the two countries rose sharply last year, customs data showed.",
]


def parse(text: str, markdown: bool = False) -> Article:
    return parse_article(text, "doc", CATALOG, markdown=markdown)


def texts(article: Article) -> list[str]:
    return [s.text for s in article.sentences]


def joined(article: Article) -> str:
    return " ".join(texts(article))


def assert_body_kept(article: Article, body: list[str] = BODY) -> None:
    all_text = joined(article)
    for sentence in body:
        assert sentence in all_text, f"lost: {sentence!r}"


def assert_gone(article: Article, *phrases: str) -> None:
    low = joined(article).lower()
    for phrase in phrases:
        assert phrase.lower() not in low, f"chrome survived: {phrase!r}"


def test_byline_date_reading_time_and_tail_blocks() -> None:
    text = "\n".join([
        "Seoul Weighs Its Options After the Pact",
        "By Maria K. Lindqvist",
        "Published: March 3, 2023",
        "5 min read",
        "",
        BODY[0] + " " + BODY[1],
        "",
        "Share this story",
        "",
        BODY[2] + " " + BODY[3],
        "",
        "Tweet",
        "",
        BODY[4] + " " + BODY[5],
        "",
        "1.2k views",
        "",
        "Related articles",
        "",
        "Oil prices climb as OPEC weighs new output cuts for the coming winter months",
        "Traders expect a tight market...",
        "Ten gadgets you need this summer, ranked by our reviewers",
        "",
        "About the author",
        "Maria writes about East Asian security and has covered the region for a decade.",
    ])
    a = parse(text)
    assert a.title == "Seoul Weighs Its Options After the Pact"
    assert a.author == "Maria K. Lindqvist"
    assert a.published == "2023-03-03"
    assert_body_kept(a)
    assert_gone(a, "share this", "tweet", "views", "related articles", "opec", "gadgets",
                "about the author", "maria writes", "min read")


def test_subscribe_prompts_cookie_banner_and_comment_form() -> None:
    text = "\n\n".join([
        "Pact Signed in Pyongyang",
        "We use cookies to improve your experience on our site. By continuing you accept our "
        "cookie policy.",
        "Accept all cookies",
        BODY[0],
        "Don't miss out! Sign up for our free daily newsletter.",
        BODY[1],
        "Please subscribe to our YouTube channel",
        BODY[2],
        BODY[3],
        BODY[4],
        BODY[5],
        "Post a Reply",
        "Your email address will not be published.",
        "Name *",
        "Email *",
        "Website",
        "Save my name, email, and website in this browser for the next time I comment.",
        "Back to top",
    ])
    a = parse(text)
    assert_body_kept(a)
    assert_gone(a, "cookie", "newsletter", "subscribe", "post a reply", "email address",
                "save my name", "back to top")


def test_chat_widget_image_credit_and_outlet_credit() -> None:
    text = "\n\n".join([
        "Putin Visits Pyongyang",
        *BODY[:3],
        "Photo credit: Associated Press",
        *BODY[3:],
        "✕ Chat with us",
        "Live chat",
    ])
    a = parse(text)
    assert_body_kept(a)
    assert_gone(a, "photo credit", "chat with us", "live chat")
    assert a.outlets == ["Associated Press"]


def test_navigation_before_the_title_is_not_the_title() -> None:
    a = parse("\n".join(["Skip to content", "Menu", "Home › World › Asia",
                          "Seoul Reviews the Pact", *BODY]))
    assert a.title == "Seoul Reviews the Pact"
    assert_body_kept(a)
    assert_gone(a, "skip to", "menu", "home ›")


def test_orphan_headings_dropped_real_headings_kept() -> None:
    text = "\n\n".join([
        "What the Treaty Means",
        "Background of the Talks",
        BODY[0] + " " + BODY[1],
        "Gallery of the Summit",  # its images were removed: followed by another heading
        "Military Implications",
        BODY[2] + " " + BODY[3],
        BODY[4] + " " + BODY[5],
        "Images From the Visit",  # orphan at the end
    ])
    a = parse(text)
    headings = [s.text for s in a.sentences if s.kind == "heading"]
    assert headings == ["Background of the Talks", "Military Implications"]
    assert_body_kept(a)
    assert ("Gallery of the Summit", "orphan heading") in a.dropped


def test_markdown_links_emphasis_images_and_headings() -> None:
    text = "\n".join([
        "# Russia and North Korea Sign a Pact",
        "",
        "*By Tom Ellis* · 2024-06-20",
        "",
        "![Kim and Putin](https://example.com/img.jpg)",
        "",
        "Officials in **Seoul** said on Tuesday that the [new agreement](https://example.com/a) "
        "would be reviewed by parliament before the end of the year.",
        "",
        "## Reactions",
        "",
        "> Analysts at several think tanks warned that the pact could shift the balance of power "
        "in the region for a decade or more.",
        "",
        "- Critics of the government argued that the talks had been _rushed_ and that key "
        "details remained secret.",
        "- Trade between the two countries rose sharply last year, customs data showed.",
        "",
        "---",
        "",
        "**Share on Twitter** | [Share on Facebook](https://facebook.com/share)",
    ])
    a = parse(text, markdown=True)
    assert a.title == "Russia and North Korea Sign a Pact"
    all_text = joined(a)
    for sentence in (BODY[0], BODY[2], BODY[3], BODY[5]):
        assert sentence in all_text
    assert "Reactions" in [s.text for s in a.sentences if s.kind == "heading"]
    assert_gone(a, "http", "](", "**", "![", "share on")
    assert a.published == "2024-06-20"


def test_hard_wrapped_paragraphs_are_joined() -> None:
    para = " ".join(BODY[:3])
    wrapped = "\n".join(re.findall(r".{1,70}(?:\s|$)", para))
    assert wrapped.count("\n") >= 3
    a = parse("A Wrapped Article\n\n" + wrapped + "\n\n" + " ".join(BODY[3:]))
    assert_body_kept(a)
    assert {s.paragraph for s in a.sentences if s.text in BODY[:3]} == {0}


def test_single_newline_paragraphs_and_list_intro_stay_separate() -> None:
    text = "\n".join([
        "Why the Deal Matters",
        "The motivations for this alliance can be broken down into several factors:",
        "Money for Pyongyang: the deal brings hard currency to an isolated economy.",
        "Troops for Moscow: the war has drained Russia's reserves of manpower.",
        *BODY,
    ])
    a = parse(text)
    assert "several factors:" in texts(a)[0] and texts(a)[0].endswith("factors:")
    assert_body_kept(a)


@pytest.mark.parametrize("bullet", ["•", "▪", "►", "‣", "◦", "●"])
def test_every_bullet_opening_a_line_is_a_list_item_s(bullet: str) -> None:
    # the cleaning read "•", "▪" and "►" as bullets, "‣", "◦" and "●" as words of the line
    lead = "Putin and Kim met in Pyongyang on Wednesday to sign a defence pact between them."
    item = "The pact commits each side to aid the other if attacked by a third country."
    [first, second] = clean_article(f"{lead}\n\n{bullet} {item}\n", has_title=False).paragraphs
    assert (first.text, first.bullet) == (lead, False)
    assert (second.text, second.bullet) == (item, True)


def test_header_zone_variants() -> None:
    for header, author, date in [
        (["Written by: Kim Soo-jin", "Updated 12 January 2024, 10:15"], "Kim Soo-jin", "2024-01-12"),
        (["- Dr.Anna Park", "- Feb 2, 2022", "- 3 min read"], "Dr. Anna Park", "2022-02-02"),
        (["Posted on Sept. 9, 2024"], None, "2024-09-09"),
    ]:
        a = parse("\n".join(["A Title For The Piece", *header, *BODY]))
        assert (a.author, a.published) == (author, date), header
        assert_body_kept(a)
        assert_gone(a, "min read", "written by", "posted on")


def test_title_case_section_line_under_the_title_is_not_the_author() -> None:
    # A bare Title Case line reads like a name ("Jane Doe") and like a section line or
    # kicker alike: alone it names no author; a byline introduced as one wins over it.
    for lines, author, date in [
        (["Seoul Weighs Its Options", "World News Today"], None, None),
        (["Seoul Weighs Its Options", "", "Latest Stories Here"], None, None),
        (["Latest Stories Here", "Seoul Weighs Its Options"], None, None),
        (["Seoul Weighs Its Options", "World News Today", "By Jane Doe", "May 2, 2024"],
         "Jane Doe", "2024-05-02"),
        (["Seoul Weighs Its Options", "Latest Stories Here", "Written by: Kim Soo-jin"],
         "Kim Soo-jin", None),
        # A bare name in a byline's place, beside a date or a reading time, is the author.
        (["Seoul Weighs Its Options", "World News Today", "Jane Doe", "May 2, 2024"],
         "Jane Doe", "2024-05-02"),
        (["Seoul Weighs Its Options", "Jane Doe · 4 min read"], "Jane Doe", None),
        (["Seoul Weighs Its Options", "- 4 min read", "- Jane Doe"], "Jane Doe", None),
    ]:
        a = parse("\n".join([*lines, "", *BODY]))
        assert (a.author, a.published) == (author, date), lines
        assert_body_kept(a)


def test_dateline_variants_and_unknown_year() -> None:
    a = parse("Title Here\n\nWASHINGTON, Jan. 5, 2024 (AP) - " + " ".join(BODY))
    assert (a.dateline_date, a.wire, a.published) == ("2024-01-05", "Associated Press", "2024-01-05")
    a = parse("Title Here\n\nSEOUL, Oct 3 (Yonhap) -- " + " ".join(BODY))
    assert (a.dateline_date, a.wire, a.published) == ("--10-03", "Yonhap", None)
    a = parse("Title Here\n\n" + " ".join(BODY))
    assert (a.dateline, a.dateline_date, a.wire, a.published) == (None, None, None, None)
    # A day no month has ("Feb. 30", "April 31") is no date: it was kept as "--02-30" and
    # shown "February 30 (no year given)" (a tester's find). February 29 is one.
    for line, date in (("MARROW BAY, Feb. 30 (AP) - ", None), ("SEOUL, April 31 (Yonhap) -- ", None),
                       ("SEOUL, Feb 29 (Yonhap) -- ", "--02-29")):
        a = parse("Title Here\n\n" + line + " ".join(BODY))
        assert (a.dateline_date, a.published) == (date, None), line
        assert a.dateline is not None and a.wire is not None


def test_outlet_credits_are_whole_names() -> None:
    a = parse("Title Here\n\n" + " ".join(BODY) + " The APEC summit was mentioned by "
              "Reuters and the RFE/RL service. An app was launched.")
    assert a.outlets == ["Reuters", "Radio Free Europe"]


def test_article_sentences_mentioning_chrome_words_are_kept() -> None:
    # Words that chrome uses, in ordinary article sentences: they must stay.
    body = [
        "X Corp said it would comply with the sanctions regime, a spokesperson confirmed.",
        "Cookies were served at the state banquet, which lasted late into the night.",
        "Copyright law was not on the agenda, officials in Moscow said.",
        "Readers who subscribe to the official newspaper learned of the visit a day later.",
        "Views on the deal differ sharply between Seoul and Tokyo, diplomats said.",
        "More than 200 journalists covered the visit from the press centre.",
        "The share of exports going to Russia has doubled since 2022, data showed.",
    ]
    a = parse("A Title\n\n" + "\n\n".join(body + BODY))
    assert_body_kept(a, body + BODY)


def test_chrome_line_classifier() -> None:
    chrome = ["Share this:", "SHARE ON FACEBOOK", "Spread the love", "6 min read",
              "Reading time: 4 minutes", "Views: 12,345", "2,310 views", "Leave a reply",
              "3 Comments", "Required fields are marked *", "Scroll to top", "× Need help?",
              "Subscribe now", "Sign up for our weekly newsletter", "Follow us on X",
              "Advertisement", "Image source: Getty", "© 2024 Example Media", "All rights reserved.",
              "Stay tuned", "Click here to read more", "1.2k views", "12K Views", "Views: 1.2k",
              "Continue reading", "Listen to this article", "Print this page", "Log in to comment",
              "Join the conversation", "Comments are closed.", "Filed under: Asia",
              "Advertisement - Continue reading below", "Read the full story",
              "Subscribe now to read more!", "Subscribe to continue reading",
              "Sign up and get unlimited access", "Sponsored by Acme", "Sponsored — Acme Corp",
              "Sponsored content", "Promoted", "Follow us on Twitter, Facebook and Instagram",
              "All Rights Reserved. This material may not be published or redistributed."]
    for line in chrome:
        assert is_chrome(line), line
    article = ["Shares of Samsung rose 3% on Monday.", "Comments by the minister drew criticism.",
               "X was the first platform to report it.", "Subscribers fell by a third.",
               "Chat logs were later published by investigators.",
               "Read more about the treaty in the official text, the ministry said.",
               "Registered voters in the region backed the plan.",
               # lines that start with a chrome word were dropped as chrome whole
               "Promoted to general in 2019, he led the offensive.",
               "Sponsored by the UN, the talks begin on Monday.",
               "Advertisement spending rose 4% last year.",
               "All rights reserved for indigenous groups were restored by the court.",
               "Follow us on the road to the border, the soldier told reporters."]
    for line in article:
        assert not is_chrome(line), line


def test_normalize_text() -> None:
    s = normalize_text("a\u00a0b\u200b c\r\nd\x07e\u2028f  \tg")
    assert s == "a b c\nd e\nf g"


def test_clean_article_reports_dropped_lines() -> None:
    c = clean_article("Title\n\n" + "\n\n".join(BODY) + "\n\nShare post:\n\nMore like this\n\nOther")
    reasons = dict(c.dropped)
    assert reasons["More like this"] == "tail"


@pytest.mark.parametrize("raw,iso", [
    ("Dec 18, 2024", "2024-12-18"), ("18 December 2024", "2024-12-18"),
    ("2024-12-18T10:00:00Z", "2024-12-18"), ("Sept. 9, 2024", "2024-09-09"),
    ("Feb 30, 2024", None), ("June 19", None), ("yesterday", None),
])
def test_parse_date(raw: str, iso: str | None) -> None:
    assert parse_date(raw) == iso


def test_jsonl_record_whose_whole_text_is_one_title_like_line_is_kept() -> None:
    """A record's text is never all byline/orphan heading: a one-liner is the text."""
    from bot.corpus.cleaning import clean_article

    for text in ["Chain Letters", "Breaking Dawn", "A (Virtual) Card for You",
                 "Is the GOP's Plan Called 'World's Greatest Healthcare Plan of 2017'?"]:
        cleaned = clean_article(text, has_title=False)
        assert [p.text for p in cleaned.paragraphs if p.kind == "body"] == [text], text
    # Chrome alone is still no article text.
    assert clean_article("Spread the love", has_title=False).paragraphs == []


def test_markdown_hidden_html_code_and_character_references() -> None:
    # A post embedding a chart or a tweet had "var data = …", ".chart { width: 100%; … }" and
    # its code block's lines for sentences, and "AT&amp;T" kept its reference as written.
    body = ("Intro paragraph that is long enough to be a sentence of the article body.\n\n"
            "```python\nprint('hello world this is code')\n```\n\n"
            "<style>.chart { width: 100%; height: 20px; }</style>\n\n"
            "<SCRIPT type=\"text/javascript\">\nvar data = [1, 2, 3];\n"
            "console.log(\"Chart loaded.\");\n</script >\n\n"
            "<!-- an editor's note\nacross two lines -->\n\n"
            "AT&amp;T said the deal&mdash;worth $5bn&mdash;was done.\n\n"
            "<script>never closed, this line is kept as text.\n")
    kept = [ln.text for ln in clean_article("Title here\n\n" + body, markdown=True).paragraphs]
    assert kept == ["Intro paragraph that is long enough to be a sentence of the article body.",
                    "AT&T said the deal—worth $5bn—was done.",
                    "never closed, this line is kept as text."], kept
    # a plain-text file is read as written
    plain = [ln.text for ln in clean_article("Title here\n\nAT&amp;T said so today, "
                                             "officials confirmed.\n").paragraphs]
    assert plain == ["AT&amp;T said so today, officials confirmed."]
