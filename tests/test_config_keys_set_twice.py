"""A config file that sets a key twice (two edits, the second forgetting the first) was "not
valid TOML: Cannot overwrite a value (at line 4, column 12)": a line, no field. The field is
named with its section, as every other config problem is."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import load_settings
from bot.errors import UserError


@pytest.mark.parametrize(("text", "said"), [
    ("[ingest]\nworkers = 2\ncache_mb = 3\nworkers = 3\n", "[ingest] workers is set twice"),
    ("\ufeff[ingest] # parse\r\nworkers = 2\r\nworkers = 3\r\n", "[ingest] workers is set twice"),
    ("[commands]\nrate_limit_per_minute = 5\n\n[scheduler]\nmax_attempts = 2\n"
     "max_attempts = 3\n", "[scheduler] max_attempts is set twice"),
])
def test_a_key_set_twice_is_named_with_its_section(tmp_path: Path, text: str,
                                                   said: str) -> None:
    cfg = tmp_path / "briefbot.toml"
    cfg.write_bytes(text.encode("utf-8"))
    with pytest.raises(UserError) as err:
        load_settings(config_path=cfg, db=str(tmp_path / "x.db"))
    message = err.value.message
    assert message.startswith(f"{cfg}: not valid TOML: Cannot overwrite a value"), message
    assert message.endswith(f"; {said}: keep one"), message
    assert "\n" not in message


def test_other_toml_errors_are_as_they_were(tmp_path: Path) -> None:
    cfg = tmp_path / "briefbot.toml"
    cfg.write_text("[ingest]\nworkers = 1\n[ingest]\n", encoding="utf-8")
    with pytest.raises(UserError) as err:
        load_settings(config_path=cfg, db=str(tmp_path / "x.db"))
    assert err.value.message == (f"{cfg}: not valid TOML: Cannot declare ('ingest',) twice "
                                 "(at line 3, column 8)")
