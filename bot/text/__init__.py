"""Pure text analysis shared by search, claims and digests: folding, tokens and stemming
(`words`), alias concepts (`aliases`), hedge and denial cues (`hedges`), WordNet synonyms and
derivations (`wordnet`, read from the shipped `wordnet/lexicon.sqlite`), and the claim and
sentence analysis behind stances (`stance`), whose sentence features the index stores.

May import only `bot.config` and `bot.errors`."""
