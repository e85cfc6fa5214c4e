"""Claim lookup: candidates from the search index, stances judged per sentence, a verdict
and its evidence (`lookup`), turned into the neutral reply.

May import `bot.search`, `bot.corpus`, `bot.text`, `bot.reply`, `bot.config` and `bot.errors`;
never `bot.digest` (its sibling) or anything above."""
