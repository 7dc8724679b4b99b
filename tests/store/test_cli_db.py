"""`vendor-eval db info` and `db upgrade`: output, exit codes, and never a password."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

import pytest
from sqlalchemy.engine import make_url

from vendor_eval import cli
from vendor_eval.store.engine import ENV_URL
from vendor_eval.store.schema import head_revision


def _run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _password(url: str) -> str | None:
    return make_url(url).password


def test_db_help_lists_info_and_upgrade(capsys):
    with pytest.raises(SystemExit) as e:
        cli.main(["db", "--help"])
    assert e.value.code == 0
    out = capsys.readouterr().out
    assert "info" in out and "upgrade" in out


def test_db_info_then_upgrade_then_info(db_url, capsys):
    head = head_revision()
    code, out, err = _run(capsys, "db", "info", "--db", db_url, "--format", "json")
    assert code == 0, err
    before = json.loads(out)
    assert before["state"] in {"missing", "empty"}
    assert before["schema"] is None and before["head"] == head and before["projects"] is None

    code, out, err = _run(capsys, "db", "upgrade", "--db", db_url)
    assert code == 0, err
    assert out.strip().endswith(f"upgraded schema (empty) → {head}")

    code, out, err = _run(capsys, "db", "upgrade", "--db", db_url)
    assert (code, out.strip().endswith(f"already at schema {head}")) == (0, True)

    code, out, err = _run(capsys, "db", "info", "--db", db_url, "--format", "json")
    info = json.loads(out)
    assert info == {
        "url": make_url(db_url).render_as_string(hide_password=True),
        "backend": make_url(db_url).get_backend_name(),
        "schema": head,
        "head": head,
        "state": "current",
        "projects": 0,
    }
    code, out, err = _run(capsys, "db", "info", "--db", db_url)
    assert code == 0
    assert f"schema:   {head} (this vendor-eval: {head}) — up to date" in out
    assert "projects: 0" in out
    password = _password(db_url)
    if password:
        assert f":{password}@" not in out + err
        assert ":***@" in out


def test_db_info_reads_the_environment(db_url, capsys, monkeypatch):
    monkeypatch.setenv(ENV_URL, db_url)
    code, out, _ = _run(capsys, "db", "info", "--format", "json")
    assert code == 0
    assert json.loads(out)["url"] == make_url(db_url).render_as_string(hide_password=True)


def test_db_info_does_not_create_a_sqlite_file(tmp_path, capsys):
    path = tmp_path / "new.sqlite3"
    code, out, _ = _run(capsys, "db", "info", "--db", f"sqlite:///{path}")
    assert code == 0
    assert "not created yet" in out
    assert not path.exists()


def test_a_newer_database_is_refused_by_upgrade_exit_2(tmp_path, capsys):
    import sqlite3

    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    assert _run(capsys, "db", "upgrade", "--db", url)[0] == 0
    with sqlite3.connect(tmp_path / "x.sqlite3") as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    code, out, err = _run(capsys, "db", "upgrade", "--db", url)
    assert code == 2 and out == ""
    assert "written by a newer vendor-eval (schema 9999_future" in err
    code, out, _ = _run(capsys, "db", "info", "--db", url, "--format", "json")
    assert json.loads(out)["state"] == "newer"


def test_a_text_file_as_database_exit_2(tmp_path, capsys):
    path = tmp_path / "notes.txt"
    path.write_text("not a database\n" * 100)
    for command in ("info", "upgrade"):
        code, out, err = _run(capsys, "db", command, "--db", f"sqlite:///{path}")
        assert (code, out) == (2, "")
        assert err == f"error: the database {path} is not a vendor-eval database or is damaged\n"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_unreachable_postgresql_exit_2_without_the_password():
    """A real process: one line on stderr, no traceback, the password nowhere."""
    url = f"postgresql+psycopg://alice:Sup3r-S3cret@127.0.0.1:{_closed_port()}/evals"
    for command in ("info", "upgrade"):
        proc = subprocess.run(
            [sys.executable, "-m", "vendor_eval", "db", command, "--db", url],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 2, proc.stderr
        assert "Sup3r-S3cret" not in proc.stdout + proc.stderr
        assert "Traceback" not in proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1
        assert lines[0].startswith(
            "error: cannot reach the PostgreSQL database postgresql+psycopg://alice:***@127.0.0.1:"
        )


def test_an_invalid_url_exit_2(capsys):
    code, _, err = _run(capsys, "db", "info", "--db", "this is :: not a url")
    assert code == 2
    assert err.startswith("error: the database URL is not a URL")
