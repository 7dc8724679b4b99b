"""``project import NAME FILE --decimal comma|point`` on SQLite and PostgreSQL: the choice is
stored with the version and every later read (rank, sensitivity, show, a restored backup)
uses it; an ambiguous CSV without it is refused as ``validate`` refuses it, storing nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vendor_eval import cli

YEARS = "Years in business"
#: Acme's 1,250 years in business are 1.25 with decimal commas (Bolt, 12 years, then
#: leads), 1250 with decimal points (Acme leads).
AMBIGUOUS = f"Vendor;{YEARS};Blended hourly rate\nAcme;1,250;900\nBolt;12;900\n"
REFUSED = (
    'Vendors!B (Years in business): "1,250" could be 1250 or 1.25: say which with '
    '--decimal comma or --decimal point (in the dashboard: "Decimal separator")'
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def ok(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    assert "Traceback" not in err
    return out


@pytest.fixture
def db(db_url: str, capsys: pytest.CaptureFixture[str]) -> str:
    """An upgraded database holding the empty project P."""
    ok(capsys, "db", "upgrade", "--db", db_url)
    ok(capsys, "project", "create", "P", "--db", db_url, "--as", "alice")
    return db_url


@pytest.fixture
def years(tmp_path: Path) -> Path:
    path = tmp_path / "years.csv"
    path.write_text(AMBIGUOUS, encoding="utf-8")
    return path


def _rank(capsys: pytest.CaptureFixture[str], db: str) -> list[dict]:
    return json.loads(ok(capsys, "project", "rank", "P", "--db", db, "--format", "json"))


def test_without_the_option_an_ambiguous_csv_is_refused_and_nothing_is_stored(
    db: str, years: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "project", "import", "P", str(years), "--db", db, "--as", "bob")
    assert code == 2
    assert out == ""
    assert err.splitlines() == ["years.csv: 1 problem found", f"  {REFUSED}"]
    shown = json.loads(ok(capsys, "project", "show", "P", "--db", db, "--format", "json"))
    assert shown["versions"] == [] and shown["events"] == 1
    history = json.loads(ok(capsys, "project", "history", "P", "--db", db, "--format", "json"))
    assert [e["action"] for e in history] == ["create"]
    # the refusal is the one `validate` gives for the same file
    code, _, direct = run(capsys, "validate", str(years))
    assert code == 2 and REFUSED in direct


@pytest.mark.parametrize(("decimal", "first", "second"), [("comma", "Bolt", "Acme"),
                                                         ("point", "Acme", "Bolt")])  # fmt: skip
def test_the_choice_is_stored_and_every_read_uses_it(
    db: str, years: Path, capsys: pytest.CaptureFixture[str], decimal: str, first: str,
    second: str,
) -> None:  # fmt: skip
    out = ok(capsys, "project", "import", "P", str(years), "--decimal", decimal, "--db", db)
    assert out.startswith("P: stored years.csv as version 1 (72 bytes, SHA-256 ")
    assert out.endswith(f"…, decimal {decimal})\n")
    ranking = _rank(capsys, db)
    assert [r["vendor"] for r in ranking] == [first, second]
    # the years decide: the leader's contribution is the whole of their weight
    assert [r["contributions"][YEARS] for r in ranking] == [50.0, 0.0]
    # byte for byte what `rank FILE --decimal …` prints for the file itself
    argv = ["--format", "json"]
    direct = ok(capsys, "rank", str(years), "--decimal", decimal, *argv)
    assert ok(capsys, "project", "rank", "P", "--db", db, *argv) == direct
    assert json.loads(direct)[0]["vendor"] == first
    shown = json.loads(ok(capsys, "project", "show", "P", "--db", db, "--format", "json"))
    [version] = shown["versions"]
    assert (version["file_name"], version["decimal"]) == ("years.csv", decimal)
    table = ok(capsys, "project", "show", "P", "--db", db)
    assert f"* 1  years.csv (decimal {decimal})  72 bytes" in table
    history = json.loads(ok(capsys, "project", "history", "P", "--db", db, "--format", "json"))
    assert history[-1]["action"] == "import"
    assert history[-1]["details"]["decimal"] == decimal
    verified = json.loads(ok(capsys, "project", "verify", "P", "--db", db, "--format", "json"))
    assert verified["ok"] is True
    # the stress tests read the same values: the leader is the one the ranking has
    report = ok(capsys, "project", "sensitivity", "P", "--db", db, "--samples", "50",
                "--format", "json")  # fmt: skip
    assert json.loads(report)["leader"] == first


def test_an_automatic_file_stays_automatic(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A German Excel's CSV whose numbers tell (4,5 and 1.250,50) needs no option; its
    version is stored "auto" and its import event is as it always was."""
    path = tmp_path / "de.csv"
    path.write_text(f"Vendor;{YEARS};Blended hourly rate\nAcme;4,5;1.250,50\nBolt;12;900\n")
    out = ok(capsys, "project", "import", "P", str(path), "--db", db)
    assert out.endswith("…)\n") and "decimal" not in out
    shown = json.loads(ok(capsys, "project", "show", "P", "--db", db, "--format", "json"))
    assert shown["versions"][0]["decimal"] == "auto"
    history = json.loads(ok(capsys, "project", "history", "P", "--db", db, "--format", "json"))
    assert "decimal" not in history[-1]["details"]
    direct = ok(capsys, "rank", str(path), "--format", "json")
    assert ok(capsys, "project", "rank", "P", "--db", db, "--format", "json") == direct


def test_the_choice_survives_a_backup_and_a_restore(
    db: str, years: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ok(capsys, "project", "import", "P", str(years), "--decimal", "comma", "--db", db)
    ok(capsys, "project", "import", "P", str(years), "--decimal", "point", "--db", db)
    before = [
        ok(capsys, "project", "rank", "P", "--db", db, "--format", "json"),
        ok(capsys, "project", "show", "P", "--db", db, "--format", "json"),
    ]
    archive = tmp_path / "all.zip"
    ok(capsys, "db", "backup", str(archive), "--db", db)
    restored = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    ok(capsys, "db", "restore", str(archive), "--db", restored)
    after = [
        ok(capsys, "project", "rank", "P", "--db", restored, "--format", "json"),
        ok(capsys, "project", "show", "P", "--db", restored, "--format", "json"),
    ]
    assert after == before
    versions = json.loads(after[1])["versions"]
    assert [v["decimal"] for v in versions] == ["comma", "point"]
    verified = ok(capsys, "project", "verify", "P", "--db", restored, "--format", "json")
    assert json.loads(verified)["ok"] is True


def test_the_option_is_offered_with_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["project", "import", "P", "x.csv", "--decimal", "dot"])
    err = capsys.readouterr().err
    assert "--decimal: invalid choice: 'dot'" in err  # the quoting varies with Python
    assert "comma" in err.rsplit("'dot'", 1)[1] and "point" in err.rsplit("'dot'", 1)[1]
    with pytest.raises(SystemExit):
        cli.main(["project", "import", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "--decimal {comma,point}" in out
    assert "stored with the version and used whenever it is read again" in out
