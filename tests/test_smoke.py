from click.testing import CliRunner

from bot.cli.main import cli


def test_reload_seeds_and_list_sources(tmp_path, seeds_copy):
    db = str(tmp_path / "x.db")
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", db, "reload", str(seeds_copy)])
    assert result.exit_code == 0, result.output
    assert "5 added" in result.output
    result = runner.invoke(cli, ["--db", db, "sources", "--json"])
    assert result.exit_code == 0
    assert '"000_6051bb62f85c3fae"' in result.output


def test_a_file_that_is_not_a_database_gives_a_clear_error(tmp_path):
    bogus = tmp_path / "bogus.db"
    bogus.write_text("this is not sqlite\n" * 100)
    runner = CliRunner()
    for args in (["reload", str(tmp_path)], ["sources"], ["claim", "x"], ["digest"]):
        result = runner.invoke(cli, ["--db", str(bogus), *args])
        assert result.exit_code == 1, (args, result.output)
        assert "file is not a database" in result.output and "Traceback" not in result.output
