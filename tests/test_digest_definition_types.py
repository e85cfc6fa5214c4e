"""A digest definition's fields of the wrong type are reported with the file and the field,
whatever their value: a `topic` of 0, false or [] (no string) was read as no topic, and a
`description` of any type was taken as it was."""

from __future__ import annotations

from typing import Any

import pytest

from bot.digest.definitions import parse_definition
from bot.errors import UserError


@pytest.mark.parametrize("topic", [0, False, [], {}, 5, ["quake"]])
def test_a_topic_that_is_no_string_is_refused(topic: Any) -> None:
    with pytest.raises(UserError, match="topic must be a string"):
        parse_definition("x", {"sections": ["timeline"], "topic": topic})


@pytest.mark.parametrize("description", [7, False, ["a"], {"a": 1}])
def test_a_description_that_is_no_string_is_refused(description: Any) -> None:
    with pytest.raises(UserError, match="description must be a string"):
        parse_definition("x", {"sections": ["timeline"], "description": description})


def test_blank_and_string_values_still_load() -> None:
    assert parse_definition("x", {"sections": ["timeline"], "topic": ""}).topic is None
    assert parse_definition("x", {"sections": ["timeline"], "topic": "  "}).topic is None
    assert parse_definition("x", {"sections": ["timeline"], "description": "Daily"}).title == "X"
