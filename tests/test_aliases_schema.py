"""config/aliases.toml is checked like config/briefbot.toml: each problem one line naming the
file and the field, nothing coerced, unknown sections and keys refused with a suggestion (a
wrong type was a traceback, a string a list of characters, a misspelt section ignored)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli.main import cli
from bot.errors import UserError
from bot.text.aliases import load_aliases

ROOT = Path(__file__).resolve().parents[1]


def _error(tmp_path: Path, body: str) -> tuple[Path, str]:
    path = tmp_path / "aliases.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(UserError) as exc:
        load_aliases(path)
    return path, exc.value.message


@pytest.mark.parametrize(("body", "field", "says"), [
    # tracebacks before (TypeError, AttributeError)
    ("[places]\nnames = 5\n", "[places] names", "must be a list, not 5"),
    ('places = ["russia"]\n', "[places]", "must be a table ([places] with key = value lines)"),
    # read as the places r, u, s, i, a
    ('[places]\nnames = "russia"\n', "[places] names",
     "must be a list of strings (e.g. ['russia']), not the string 'russia'"),
    # ignored silently
    ('[place]\nnames = ["russia"]\n', "[place]", "unknown section (did you mean 'places'?)"),
    ('[Concepts]\nrussia = ["Moscow"]\n', "[Concepts]",
     "unknown section (did you mean 'concepts'?)"),
    ('[places]\nname = ["russia"]\n', "[places] name", "unknown key (did you mean 'names'?)"),
    ("countrie = false\n", "countrie", "unknown top-level key (did you mean 'countries'?)"),
    ('[concepts]\nrussia = ["Russia"]\n[places]\nnames = ["rusia"]\n', "[places] names[0]",
     "no concept named 'rusia' (did you mean 'russia'?)"),
    ('[concepts]\nx = [""]\n', "[concepts] x[0]", "must not be empty"),
    ('[concepts]\nx = "Moscow"\n', "[concepts] x", "must be a list of strings"),
    ("[concepts]\nx = [1]\n", "[concepts] x[0]", "must be a string, not 1"),
    ('countries = "yes"\n', "countries", "must be true or false, not 'yes'"),
    ("[concepts]\ncountries = false\n", "[concepts] countries", "goes at the top of the file"),
    # accepted before (bt4 #11): README says lists of non-empty strings
    ('[concepts]\nx = ["   "]\n', "[concepts] x[0]", "must not be empty (it is only spaces"),
    ('[concepts]\nx = ["Foo", "\\t"]\n', "[concepts] x[1]", "must not be empty"),
    ("[concepts]\nx = []\n", "[concepts] x", "must not be an empty list"),
    ('[concepts]\n"" = ["Foo"]\n', "[concepts] key ''", "must not be empty"),
    ('[concepts]\n" " = ["Foo"]\n', "[concepts] key ' '", "must not be empty"),
    ('[places]\nnames = ["  "]\n', "[places] names[0]", "must not be empty"),
    # accepted before: only punctuation names and matches nothing
    ('[concepts]\nx = ["Foo", "..."]\n', "[concepts] x[1]",
     "must have a letter or a digit (it is only punctuation or symbols: '...'"),
    ('[concepts]\nx = ["\u2014"]\n', "[concepts] x[0]", "must have a letter or a digit"),
    ('[concepts]\nx = [" - / "]\n', "[concepts] x[0]", "must have a letter or a digit"),
    ('[concepts]\n"..." = ["Foo"]\n', "[concepts] key '...'", "must have a letter or a digit"),
    ('[places]\nnames = ["?!"]\n', "[places] names[0]", "must have a letter or a digit"),
    # accepted before: letters of another script, of which the analysis keeps no word
    ('[concepts]\nmoscow = ["Moscow", "\u041c\u043e\u0441\u043a\u0432\u0430"]\n',
     "[concepts] moscow[1]",
     "has no word that is read: only Latin letters (accents are fine) and digits are read "
     "('\u041c\u043e\u0441\u043a\u0432\u0430' matches nothing)"),
    ('[concepts]\nchina = ["\u4e2d\u56fd"]\n', "[concepts] china[0]", "only Latin letters"),
    ('[concepts]\nthree = ["\u0663"]\n', "[concepts] three[0]", "only Latin letters"),
])
def test_each_problem_is_one_line_naming_the_file_and_the_field(
        tmp_path: Path, body: str, field: str, says: str) -> None:
    path, message = _error(tmp_path, body)
    assert message.count("\n") == 0, message
    assert message.startswith(f"{path}: {field}: "), message
    assert says in message


def test_several_problems_give_one_line_each(tmp_path: Path) -> None:
    path, message = _error(tmp_path, 'countries = 1\n[concepts]\nx = "a"\n[places]\nnames = 5\n')
    lines = message.splitlines()
    assert len(lines) == 3 and all(line.startswith(f"{path}: ") for line in lines)


def test_a_place_may_be_a_country_the_shipped_list_adds(tmp_path: Path) -> None:
    path = tmp_path / "aliases.toml"
    path.write_text('[concepts]\n[places]\nnames = ["netherlands"]\n', encoding="utf-8")
    assert load_aliases(path).is_place("netherlands")


@pytest.mark.parametrize("phrase", ["U.S.", "%", "No. 10", "7/7", "Zürich"])
def test_a_phrase_with_a_letter_a_digit_or_a_percent_sign_is_accepted(
        tmp_path: Path, phrase: str) -> None:
    path = tmp_path / "aliases.toml"
    path.write_text(f'[concepts]\nx = ["{phrase}"]\n', encoding="utf-8")
    assert phrase in load_aliases(path).concepts["x"]


def test_the_shipped_file_is_valid() -> None:
    table = load_aliases(ROOT / "config" / "aliases.toml")
    assert table.is_place("russia") and table.is_place("european_union")
    assert not table.is_place("troops")


def test_the_cli_shows_the_error_without_a_traceback(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFBOT_SEMANTIC", "0")  # no sentence model: quick
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "visit.txt").write_text("Putin visited Moscow\n\nPutin visited Moscow on Monday.\n",
                                      encoding="utf-8")
    aliases = tmp_path / "aliases.toml"
    aliases.write_text("[places]\nnames = 5\n", encoding="utf-8")
    config = tmp_path / "briefbot.toml"
    config.write_text(f'[ingest]\ndefault_paths = ["{corpus}"]\n[search]\n'
                      f'aliases = "{aliases}"\n', encoding="utf-8")
    for command in (["reload"], ["claim", "Putin visited Moscow"]):
        result = CliRunner().invoke(cli, ["--config", str(config), "--db",
                                          str(tmp_path / "db"), *command])
        assert result.exit_code != 0
        assert f"{aliases}: [places] names: must be a list, not 5" in result.output
        assert "Traceback" not in result.output
