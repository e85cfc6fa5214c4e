"""Scheduled briefings: subscriptions and their validation (`subscriptions`), the
delivery protocol adapters implement (`delivery`), and the running scheduler (`scheduler`:
APScheduler jobs, the post ledger, retries, catch-up).

May import `bot.core` and everything below it; never `bot.chat`, `bot.adapters`, `bot.runner`
or `bot.cli`."""
