"""The tree's rules (README "Architecture"), enforced on every import in the package.

Imports point down the stage list; ``workbook/reading/`` (the sandboxed child's side) uses
only the standard library, python-calamine and defusedxml; only ``ui/`` imports Streamlit;
only ``store/`` imports SQLAlchemy.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "vendor_eval"

# Lower number = lower stage. A module may import its own stage and any lower one.
STAGES = {
    "_lazy": 0,
    "core": 1,
    "workbook": 2,
    "scoring": 3,
    "stress": 4,
    "store": 5,
    "projects": 6,
    "team": 7,
    "monitoring": 8,
    "charts": 9,
    "output": 9,
    "ui": 10,
    "cli": 11,
    "__main__": 12,
}
SIBLINGS_APART = {"charts", "output"}  # same level, neither imports the other
READING_MAY_IMPORT = {"python_calamine", "defusedxml"}
READING_MAY_IMPORT_FROM_PACKAGE = ("vendor_eval.workbook.reading", "vendor_eval._lazy")


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _dotted(path: Path, root: Path = ROOT) -> str:
    rel = path.relative_to(root).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, root: Path = ROOT) -> list[tuple[int, str]]:
    """(line, absolute module name) for every import in the file, nested ones included."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    dotted = _dotted(path, root)
    package = dotted if path.name == "__init__.py" else dotted.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            # `from vendor_eval import x` may name a submodule: check it as one.
            if module in {"vendor_eval", *(f"vendor_eval.{s}" for s in STAGES)}:
                found += [(node.lineno, f"{module}.{a.name}") for a in node.names]
    return found


def _stage(dotted: str) -> str | None:
    parts = dotted.split(".")
    if parts[0] != "vendor_eval" or len(parts) < 2:
        return None
    return parts[1]


def _stdlib(name: str) -> bool:
    return name.split(".")[0] in sys.stdlib_module_names


def test_every_top_level_entry_is_a_known_stage():
    entries = {
        p.stem if p.is_file() else p.name
        for p in PACKAGE.iterdir()
        if p.name != "__pycache__" and (p.suffix == ".py" or p.is_dir())
    }
    assert entries - {"__init__"} <= set(STAGES), entries - set(STAGES)
    # A stage folder is created when an issue needs it, never as an empty placeholder.
    for entry in entries & set(STAGES):
        folder = PACKAGE / entry
        if folder.is_dir():
            assert any(folder.glob("*.py")), f"{entry}/ is an empty stage folder"


def _upward_imports(paths: list[Path], root: Path = ROOT) -> list[str]:
    wrong = []
    for path in paths:
        here = _stage(_dotted(path, root))
        if here is None:  # vendor_eval/__init__.py: the lazy public API may name anything
            continue
        for line, module in _imports(path, root):
            there = _stage(module)
            if there is None or there == here or there not in STAGES:
                continue
            up = STAGES[there] > STAGES[here]
            across = STAGES[there] == STAGES[here] and {here, there} <= SIBLINGS_APART
            if up or across:
                wrong.append(f"{path.relative_to(root)}:{line} ({here}) imports {module}")
    return wrong


def test_imports_point_down_the_stage_list():
    wrong = _upward_imports(_modules())
    assert not wrong, "\n".join(wrong)


def test_the_reading_side_imports_only_stdlib_calamine_and_defusedxml():
    wrong = []
    for path in sorted((PACKAGE / "workbook" / "reading").glob("*.py")):
        for line, module in _imports(path):
            top = module.split(".")[0]
            if top == "vendor_eval":
                allowed = module.startswith(READING_MAY_IMPORT_FROM_PACKAGE) or module in {
                    "vendor_eval.core.problems",  # the parent side's ValidationError
                    "vendor_eval",
                }
            else:
                allowed = _stdlib(module) or top in READING_MAY_IMPORT
                # book.py (the parent side) checks that openpyxl parses with defusedxml
                allowed = allowed or (path.name == "book.py" and module == "openpyxl.xml")
            if not allowed:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("library", "home"),
    [("streamlit", "ui"), ("sqlalchemy", "store"), ("alembic", "store")],
)
def test_only_one_stage_imports(library, home):
    wrong = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in _modules()
        if _stage(_dotted(path)) != home
        for line, module in _imports(path)
        if module.split(".")[0] == library
    ]
    assert not wrong, f"{library} imported outside {home}/: " + ", ".join(wrong)


def test_the_reader_and_the_package_root_load_without_pandas():
    """The sandbox child and ``read_book`` pay for no pandas, numpy or plotly on import."""
    code = textwrap.dedent(
        """
        import sys
        import vendor_eval, vendor_eval.workbook, vendor_eval.workbook.reading
        import vendor_eval.workbook.reading.book, vendor_eval.workbook.reading.sandbox
        import vendor_eval.workbook.reading.xlsx, vendor_eval.workbook.reading.csv
        heavy = sorted(m for m in ("pandas", "numpy", "plotly", "streamlit") if m in sys.modules)
        print(",".join(heavy))
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert proc.stdout.strip() == "", f"imported on the reading side: {proc.stdout.strip()}"


def test_the_checker_sees_a_wrong_import(tmp_path):
    """The walk itself works: upward, sibling and relative imports are all resolved."""
    core = tmp_path / "vendor_eval" / "core"
    core.mkdir(parents=True)
    (core / "bad.py").write_text(
        "from . import model\n"
        "def f():\n    from vendor_eval.scoring import score\n"
        "from ..stress.sweep import Lines\n"
    )
    charts = tmp_path / "vendor_eval" / "charts"
    charts.mkdir()
    (charts / "bad.py").write_text("import vendor_eval.output.text\n")
    found = sorted(m for _, m in _imports(core / "bad.py", tmp_path))
    assert found == [
        "vendor_eval.core",
        "vendor_eval.core.model",
        "vendor_eval.scoring",
        "vendor_eval.scoring.score",
        "vendor_eval.stress.sweep",
    ]
    wrong = _upward_imports([core / "bad.py", charts / "bad.py"], tmp_path)
    assert len(wrong) == 4, wrong  # scoring, scoring.score, stress.sweep, charts → output
