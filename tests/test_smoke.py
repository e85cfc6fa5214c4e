from click.testing import CliRunner

from bot.cli import cli


def test_reload_seeds_and_list_sources(tmp_path, seeds_copy):
    db = str(tmp_path / "x.db")
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", db, "reload", str(seeds_copy)])
    assert result.exit_code == 0, result.output
    assert "5 added" in result.output
    result = runner.invoke(cli, ["--db", db, "sources", "--json"])
    assert result.exit_code == 0
    assert '"000_6051bb62f85c3fae"' in result.output
