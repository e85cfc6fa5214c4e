"""Briefings: digest definitions (`definitions`), articles grouped into stories (`stories`),
sentence importance and grouping (`summarize`), conflicting accounts (`accounts`), dates
(`timeline`), who is who (`people`) and the digest itself (`build`).

May import `bot.search`, `bot.corpus`, `bot.text`, `bot.reply`, `bot.cron`, `bot.config` and
`bot.errors`; never `bot.claims` (its sibling) or anything above."""
