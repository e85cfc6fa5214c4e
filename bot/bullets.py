"""The characters that open a list's item as its bullet ("• Putin signed …", "● …", "► …"):
the corpus's cleaning and sentence splitter (`bot.corpus`), the words a sentence may open
with (`bot.text.words.SENTENCE_OPENERS`) and a chat claim's formatting
(`bot.text.stance.unformatted`) read the same ones. Imports nothing of bot."""

from __future__ import annotations

BULLETS = "•‣◦▪●►"
