"""Repository hygiene: lint, format and types stay clean; the two commands stay documented."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _ruff() -> list[str]:
    exe = Path(sys.executable).with_name("ruff")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("ruff")
    if not found:
        pytest.fail("ruff is not installed (requirements-dev.txt)")
    return [found]


@pytest.mark.parametrize("args", [["check", "."], ["format", "--check", "."]])
def test_ruff_clean(args):
    proc = subprocess.run([*_ruff(), *args], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_clean():
    """The package type-checks ([tool.mypy] in pyproject.toml, as `make lint` runs it)."""
    if importlib.util.find_spec("mypy") is None:
        pytest.fail("mypy is not installed (requirements-dev.txt)")
    proc = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_make_lint_runs_mypy():
    makefile = (ROOT / "Makefile").read_text()
    lint = makefile.split("\nlint:", 1)[1].split("\n\n", 1)[0]
    assert "$(BIN)/mypy" in lint
    assert re.search(r"^mypy==\S+$", (ROOT / "requirements-dev.txt").read_text(), re.M)


# `# type: ignore[code]  # why`: an error code, then a reason for the reader.
_IGNORE = re.compile(r"#\s*type:\s*ignore")
_IGNORE_WITH_REASON = re.compile(r"#\s*type:\s*ignore\[[a-z-]+(?:,\s*[a-z-]+)*\]  # \S")


def test_type_ignores_carry_a_code_and_a_reason():
    bare = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in sorted([*(ROOT / "vendor_eval").rglob("*.py"), ROOT / "app.py"])
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if _IGNORE.search(line) and not _IGNORE_WITH_REASON.search(line)
    ]
    assert not bare, "\n".join(bare)


def test_readme_first_screen_has_the_two_commands():
    first_screen = "\n".join((ROOT / "README.md").read_text().splitlines()[:40])
    assert "make run" in first_screen
    assert "make test" in first_screen


def test_ci_runs_make_test():
    script = (ROOT / ".ci" / "run").read_text()
    assert "make test" in script
    assert "chromium" in script and "libreoffice-calc-nogui" in script


def test_test_modules_have_unique_names():
    # the test folders are not packages (rootdir imports): two test_x.py in different
    # folders stop the whole suite at collection
    names: dict[str, list[str]] = {}
    for path in (ROOT / "tests").rglob("*.py"):
        if path.name != "__init__.py":
            names.setdefault(path.name, []).append(str(path.relative_to(ROOT)))
    assert {n: p for n, p in names.items() if len(p) > 1} == {}
