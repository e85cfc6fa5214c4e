"""Subscription ids are never reused after a removal (an old footer "stop with /unsubscribe 5"
must not remove a newer subscription), also across Store instances."""

from __future__ import annotations

from bot.corpus.storage import Store


def test_ids_never_reused(store: Store) -> None:
    a = store.add_subscription("slack", "C1", "daily", "0 8 * * *", "UTC", "t")
    b = store.add_subscription("slack", "C2", "daily", "0 8 * * *", "UTC", "t")
    store.remove_subscription(b["id"])
    c = store.add_subscription("slack", "C3", "daily", "0 8 * * *", "UTC", "t")
    assert c["id"] > b["id"]
    store.remove_subscription(c["id"])
    store.remove_subscription(a["id"])
    again = Store(store.path)  # a new connection: the mark is in the database
    d = again.add_subscription("slack", "C4", "daily", "0 8 * * *", "UTC", "t")
    assert d["id"] > c["id"]
    again.close()
