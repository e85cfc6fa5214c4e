"""Two zone names that keep the same clock from now on ("UTC" and "GMT") are one schedule:
the second subscription of a digest to a channel at the same cron would post each slot
again."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.config import Settings
from bot.corpus.storage import DuplicateSubscription, Store
from bot.cron import zone_key


@pytest.mark.parametrize(("first", "second"), [
    ("UTC", "GMT"), ("UTC", "Etc/GMT"), ("Etc/GMT-0", "Etc/UTC"),
    ("Europe/Berlin", "Europe/Paris"),
])
def test_zones_with_the_same_clock_are_a_duplicate(settings: Settings, first: str,
                                                   second: str) -> None:
    """`/subscribe daily 0 8 * * * GMT` beside `... UTC` was added (tzdata keeps them as two
    zones, distinct only by their abbreviation), and each slot was posted twice."""
    store = Store(settings.db_path)
    try:
        store.add_subscription("slack", "C1", "daily", "0 8 * * *", first, "slack:U1")
        with pytest.raises(DuplicateSubscription) as caught:
            store.add_subscription("slack", "C1", "daily", "0 8 * * *", second, "slack:U2")
        assert f"({second}, the same clock as its {first})" in caught.value.message
        assert len(store.subscriptions()) == 1
    finally:
        store.close()


@pytest.mark.parametrize(("first", "second"), [
    ("UTC", "Europe/London"),  # the same in winter, an hour apart in summer
    ("America/New_York", "America/Chicago"),
    ("Australia/Sydney", "Australia/Lord_Howe"),  # half an hour apart in summer
])
def test_zones_whose_clocks_differ_are_not(settings: Settings, first: str, second: str) -> None:
    store = Store(settings.db_path)
    try:
        store.add_subscription("slack", "C1", "daily", "0 8 * * *", first, "slack:U1")
        store.add_subscription("slack", "C1", "daily", "0 8 * * *", second, "slack:U2")
        assert len(store.subscriptions()) == 2
    finally:
        store.close()


def test_the_clock_is_compared_from_now_on() -> None:
    # Europe/Kyiv kept Moscow time until 1990: it keeps Europe/Helsinki's clock (EET/EEST,
    # the same switch times) in 2027, not in 1985.
    assert zone_key("UTC", datetime(2027, 1, 1, tzinfo=UTC)) == \
        zone_key("GMT", datetime(2027, 6, 1, tzinfo=UTC))
    assert zone_key("Europe/Kyiv", datetime(1985, 1, 1, tzinfo=UTC)) != \
        zone_key("Europe/Helsinki", datetime(1985, 1, 1, tzinfo=UTC))
    assert zone_key("Europe/Kyiv", datetime(2027, 1, 1, tzinfo=UTC)) == \
        zone_key("Europe/Helsinki", datetime(2027, 1, 1, tzinfo=UTC))


def test_zones_are_compared_only_for_the_same_cron(settings: Settings,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Each zone's clock is 19,200 offsets read (tens of milliseconds), under the write lock:
    they were read for every subscription of the channel, whatever its cron."""
    import bot.corpus.storage as storage

    store = Store(settings.db_path)
    try:
        for i, zone in enumerate(("America/New_York", "Europe/Berlin", "Asia/Tokyo")):
            store.add_subscription("slack", "C1", "daily", f"{i} 8 * * *", zone, "slack:U1")
        read: list[str] = []

        def counted(name: str, now: datetime | None = None) -> object:
            read.append(name)
            return zone_key(name, now)

        monkeypatch.setattr(storage, "zone_key", counted)
        store.add_subscription("slack", "C1", "daily", "30 9 * * *", "Pacific/Auckland",
                               "slack:U2")
        assert read == []
        with pytest.raises(DuplicateSubscription):
            store.add_subscription("slack", "C1", "daily", "1 8 * * *", "Europe/Paris",
                                   "slack:U2")
        assert sorted(read) == ["Europe/Berlin", "Europe/Paris"]
    finally:
        store.close()
