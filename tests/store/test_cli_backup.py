"""`vendor-eval db backup FILE` and `db restore FILE`: across backends, exact, refusals exit 2."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile

import pytest
from conftest import SAMPLE
from sqlalchemy.engine import make_url

from vendor_eval import cli


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def ok(capsys, *argv: str) -> str:
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    return out


def shown(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


@pytest.fixture
def other_url(db_url, request, tmp_path) -> str:
    """An empty database on the other backend: SQLite → PostgreSQL and back."""
    if db_url.startswith("sqlite"):
        return str(request.getfixturevalue("postgres_url"))
    return f"sqlite:///{tmp_path / 'restored.sqlite3'}"


def _fill(capsys, db: str, tmp_path) -> dict[str, str]:
    """Two projects: one decided on its second version, one with a goal and no version."""
    ok(capsys, "db", "upgrade", "--db", db)
    ok(capsys, "project", "create", "IT 2027", "--goal", "Cut cost", "--db", db, "--as", "alice")
    second = tmp_path / "shortlist v2.xlsx"
    shutil.copy(SAMPLE, second)
    ok(capsys, "project", "import", "IT 2027", str(SAMPLE), "--db", db, "--as", "bob")
    ok(capsys, "project", "import", "IT 2027", str(second), "--db", db, "--as", "bob")
    ok(capsys, "project", "status", "IT 2027", "moderation", "--db", db, "--as", "carol")
    ranking = ok(capsys, "project", "rank", "IT 2027", "--db", db, "--format", "json")
    winner = json.loads(ranking)[0]["vendor"]
    ok(capsys, "project", "decide", "IT 2027", "--winner", winner, "--justification",
       "best value", "--db", db, "--as", "dana")  # fmt: skip
    ok(capsys, "project", "create", "Helpdesk", "--goal", "24/7", "--db", db)
    return _snapshot(capsys, db)


def _snapshot(capsys, db: str) -> dict[str, str]:
    """Everything the CLI shows of every project, as printed."""
    out = {"list": ok(capsys, "project", "list", "--db", db, "--format", "json")}
    for p in json.loads(out["list"]):
        for command in ("show", "history", "verify"):
            argv = ["project", command, p["name"], "--db", db, "--format", "json"]
            out[f"{command} {p['name']}"] = ok(capsys, *argv)
    out["rank"] = ok(capsys, "project", "rank", "IT 2027", "--db", db, "--format", "json")
    return out


def test_backup_then_restore_on_the_other_backend_is_exact(db_url, other_url, tmp_path, capsys):
    before = _fill(capsys, db_url, tmp_path)
    archive = tmp_path / "projects backup.zip"
    out = ok(capsys, "db", "backup", str(archive), "--db", db_url)
    assert out.startswith(
        f"backed up 2 projects (2 workbook versions, 6 events) from {shown(db_url)} to {archive} ("
    )
    with zipfile.ZipFile(archive) as z:
        manifest = json.loads(z.read("manifest.json"))
        assert manifest["format"] == "vendor-eval backup" and manifest["projects"] == 2

    out = ok(capsys, "db", "restore", str(archive), "--db", other_url)  # no tables yet
    assert out == (
        f"restored 2 projects (2 workbook versions, 6 events) from {archive} into "
        f"{shown(other_url)}; every audit chain verifies\n"
    )
    after = _snapshot(capsys, other_url)
    assert after == before  # to the microsecond, every hash, every byte
    history = json.loads(after["history IT 2027"])
    assert [e["action"] for e in history] == ["create", "import", "import", "status", "decide"]
    assert json.loads(after["verify IT 2027"])["ok"] is True
    # the restored project goes on: reopen and import again, the chain still verifies
    ok(capsys, "project", "reopen", "IT 2027", "--reason", "new offer", "--db", other_url)
    ok(capsys, "project", "import", "IT 2027", str(SAMPLE), "--db", other_url)
    ok(capsys, "project", "verify", "IT 2027", "--db", other_url)


def test_restore_into_a_database_with_projects_is_refused(db_url, tmp_path, capsys):
    _fill(capsys, db_url, tmp_path)
    archive = tmp_path / "b.zip"
    ok(capsys, "db", "backup", str(archive), "--db", db_url)
    before = _snapshot(capsys, db_url)
    code, out, err = run(capsys, "db", "restore", str(archive), "--db", db_url)
    assert (code, out) == (2, "")
    assert err == (
        f"error: the database {shown(db_url)} already holds 2 projects: restore needs an "
        "empty database\n"
    )
    assert _snapshot(capsys, db_url) == before


def test_a_damaged_archive_is_refused_and_nothing_is_restored(db_url, other_url, tmp_path, capsys):
    _fill(capsys, db_url, tmp_path)
    archive = tmp_path / "b.zip"
    ok(capsys, "db", "backup", str(archive), "--db", db_url)
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(damaged, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.startswith("versions/"):
                data = data[:-1] + bytes([data[-1] ^ 1])  # one bit of a workbook
            dst.writestr(item, data)
    code, out, err = run(capsys, "db", "restore", str(damaged), "--db", other_url)
    assert (code, out) == (2, "")
    assert err.startswith("error: ") and len(err.splitlines()) == 1
    assert "Traceback" not in err
    code, out, err = run(capsys, "db", "restore", str(SAMPLE), "--db", other_url)  # not a backup
    assert (code, out) == (2, "")
    assert err.startswith("error: ") and len(err.splitlines()) == 1
    info = json.loads(ok(capsys, "db", "info", "--db", other_url, "--format", "json"))
    assert info["projects"] in (None, 0)  # nothing restored
    ok(capsys, "db", "restore", str(archive), "--db", other_url)  # the good one still restores


def test_backup_refusals_exit_2(tmp_path, capsys):
    empty = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    code, out, err = run(capsys, "db", "backup", str(tmp_path / "b.zip"), "--db", empty)
    assert (code, out) == (2, "")
    assert err.endswith("does not exist yet: `vendor-eval db upgrade` creates it\n")
    assert not (tmp_path / "b.zip").exists()
    ok(capsys, "db", "upgrade", "--db", empty)
    code, out, err = run(capsys, "db", "backup", str(tmp_path / "no" / "b.zip"), "--db", empty)
    assert (code, out) == (2, "") and err.startswith("error: ")
    code, _, err = run(capsys, "db", "restore", str(tmp_path / "gone.zip"), "--db", empty)
    assert code == 2 and err.startswith("error: ") and "gone.zip" in err


def test_a_real_process_never_shows_the_password(postgres_url, tmp_path):
    archive = tmp_path / "pg.zip"
    for argv in (["db", "upgrade"], ["project", "create", "P"], ["db", "backup", str(archive)]):
        proc = subprocess.run(
            [sys.executable, "-m", "vendor_eval", *argv, "--db", postgres_url],
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert proc.returncode == 0, proc.stderr
        password = make_url(postgres_url).password
        assert not password or str(password) not in proc.stdout + proc.stderr
    assert zipfile.is_zipfile(archive)


def test_backup_and_restore_print_json_with_format_json(db_url, other_url, tmp_path, capsys):
    _fill(capsys, db_url, tmp_path)
    archive = tmp_path / "b.zip"
    out = ok(capsys, "db", "backup", str(archive), "--db", db_url, "--format", "json")
    backed = json.loads(out)
    assert backed == {
        "action": "backup",
        "path": str(archive),
        "database": shown(db_url),
        "projects": 2,
        "versions": 2,
        "events": 6,
        "size": archive.stat().st_size,
    }
    out = ok(capsys, "db", "restore", str(archive), "--db", other_url, "--format", "json")
    assert json.loads(out) == {**backed, "action": "restore", "database": shown(other_url)}
    password = make_url(other_url).password
    assert not password or str(password) not in out
    code, out, err = run(
        capsys, "db", "restore", str(archive), "--db", other_url, "--format", "json"
    )
    assert (code, out) == (2, "") and err.startswith("error: ")  # a refusal stays a sentence
