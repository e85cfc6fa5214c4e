"""The platform-neutral chat layer: the command router (`commands`: parsing, help,
permissions, rate limits, audit, errors) and renderers of the neutral reply for files and
terminals (`render_markdown`, `render_terminal`).

May import `bot.schedule`, `bot.core` and everything below; never `bot.adapters`,
`bot.runner` or `bot.cli`."""
