"""Live sources: RSS/Atom/JSON Feed polling and article page fetching.

- `fetch`: the safe HTTP client (timeouts, size cap while streaming, redirects checked hop by
  hop, http/https only, content types, decompression bombs, no private addresses).
- `urls`: canonical URLs (tracking parameters stripped) and the document ids made from them.
- `parse`: feeds (feedparser for RSS/Atom, a small JSON Feed reader) and feed discovery.
- `extract`: an article page's main text and metadata (trafilatura).
- `poll`: feeds polled into the store (feed state, per-item outcomes), single pages too.

May import `bot.corpus` (reload's parsing, the `Store`), `bot.config`, `bot.errors` and the
layers below; never `bot.claims` or `bot.digest` (its siblings) nor anything above. `bot.core`
and the scheduler call it; the search index is updated through the `after_commit` callback
`Core` passes in."""
