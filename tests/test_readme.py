"""The README's examples work as written."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_python_example_runs(tmp_path, monkeypatch):
    block = re.search(r"```python\n(.*?)```", README, re.S)
    assert block, "README has no python example"
    shutil.copy(ROOT / "data" / "sample_vendors.xlsx", tmp_path / "shortlist.xlsx")
    monkeypatch.chdir(tmp_path)
    exec(compile(block.group(1), "README.md", "exec"), {})
    assert (tmp_path / "ranking.xlsx").stat().st_size > 0


def test_quick_start_commands_run(tmp_path):
    section = README.split("### Quick start on the command line", 1)[1].split("```")[1]
    commands = [line.split() for line in section.splitlines() if line.startswith(".venv")]
    assert len(commands) >= 4
    for argv in commands:
        argv = [sys.executable, *argv[1:]]
        argv = [str(ROOT / a) if a.startswith("data/") else a for a in argv]
        proc = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, (argv, proc.stderr)
        assert "Traceback" not in proc.stderr


def test_readme_mentions_every_cli_command():
    from vendor_eval.cli import COMMANDS

    for name in COMMANDS:
        assert f"vendor_eval {name}" in README


def test_readme_mentions_every_project_and_db_subcommand():
    import argparse

    from vendor_eval.cli import build_parser

    def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                return dict(action.choices)
        return {}

    top = subcommands(build_parser())
    groups = {name: subcommands(top[name]) for name in ("project", "db")}
    assert len(groups["project"]) >= 11 and len(groups["db"]) >= 4
    missing = [
        f"vendor_eval {group} {sub}"
        for group, subs in groups.items()
        for sub in subs
        if f"vendor_eval {group} {sub}" not in README
    ]
    assert not missing, missing
