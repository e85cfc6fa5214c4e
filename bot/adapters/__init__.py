"""Adapters: each translates a platform request into a core command and renders the reply
(console, Slack, Discord, and a testing adapter). No business logic lives here.

May import `bot.chat`, `bot.schedule` (the delivery protocol), `bot.core` and everything
below; never `bot.runner` or `bot.cli`."""
