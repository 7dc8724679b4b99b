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
#: The base of the team stage, which projects/ stands on: the permission decision every
#: projects service function asks (access is decided only in team/), the team as the log
#: says, its errors, and the panel's consensus a project's ranking uses. The one thing
#: projects/ may import from the stage above it; these modules import nothing of projects/
#: but its actor and errors.
ACCESS_CORE = (
    "vendor_eval.team.access",
    "vendor_eval.team.state",
    "vendor_eval.team.errors",
    "vendor_eval.team.panel",
)
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


def _lazy_exports(init: Path) -> dict[str, str]:
    """A package ``__init__``'s ``_EXPORTS = {name: module}`` (the lazy API), read with ast."""
    if not init.exists():
        return {}
    for node in ast.walk(ast.parse(init.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "_EXPORTS" for t in node.targets)
            and isinstance(node.value, ast.Dict)
        ):
            return {
                k.value: v.value
                for k, v in zip(node.value.keys, node.value.values, strict=True)
                if isinstance(k, ast.Constant) and isinstance(v, ast.Constant)
            }
    return {}


def _imported_name(module: str, name: str, root: Path) -> str:
    """What ``from module import name`` loads: a lazily exported name resolves to its module."""
    if module == "vendor_eval" and name == "__version__":
        return "vendor_eval"
    init = root.joinpath(*module.split("."), "__init__.py")
    return _lazy_exports(init).get(name, f"{module}.{name}")


def _imports(path: Path, root: Path = ROOT) -> list[tuple[int, str]]:
    """(line, absolute module name) for every import in the file, nested ones included.

    ``from vendor_eval.x import name`` also counts as importing what ``name`` resolves to (a
    submodule, or the module a lazy ``_EXPORTS`` entry names), and a stage ``__init__``'s own
    ``_EXPORTS`` entries count as its imports.
    """
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
            if module.split(".")[0] == "vendor_eval":
                found += [(node.lineno, _imported_name(module, a.name, root)) for a in node.names]
    if path.name == "__init__.py" and dotted != "vendor_eval":
        found += [(0, target) for target in _lazy_exports(path).values()]
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
            if there is None or there == here:
                continue
            if there not in STAGES:
                wrong.append(f"{path.relative_to(root)}:{line} imports unknown {module}")
                continue
            if here == "projects" and module.startswith(ACCESS_CORE):
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
                allowed = module == "vendor_eval" or module.startswith(
                    # the package's lazy helper, the reading side itself, and the parent
                    # side's ValidationError
                    (*READING_MAY_IMPORT_FROM_PACKAGE, "vendor_eval.core.problems")
                )
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
    """The walk itself works: upward, sibling, relative and lazy imports are all resolved."""
    pkg = tmp_path / "vendor_eval"
    for sub in ("core", "charts", "workbook"):
        (pkg / sub).mkdir(parents=True)
    (pkg / "__init__.py").write_text('_EXPORTS = {"score": "vendor_eval.scoring.scorer"}\n')
    (pkg / "core" / "bad.py").write_text(
        "from . import model\n"
        "def f():\n    from vendor_eval.scoring import score\n"
        "from ..stress.sweep import Lines\n"
        "from vendor_eval import score, __version__\n"
    )
    (pkg / "charts" / "bad.py").write_text("import vendor_eval.output.text\n")
    (pkg / "workbook" / "__init__.py").write_text('_EXPORTS = {"main": "vendor_eval.ui.page"}\n')
    (pkg / "workbook" / "odd.py").write_text("from vendor_eval import nonsense\n")
    found = sorted(m for _, m in _imports(pkg / "core" / "bad.py", tmp_path))
    assert found == [
        "vendor_eval",
        "vendor_eval",  # __version__: the package root, no stage
        "vendor_eval.core",
        "vendor_eval.core.model",
        "vendor_eval.scoring",
        "vendor_eval.scoring.score",
        "vendor_eval.scoring.scorer",  # `from vendor_eval import score`, via _EXPORTS
        "vendor_eval.stress.sweep",
        "vendor_eval.stress.sweep.Lines",
    ]
    files = [pkg / "core" / "bad.py", pkg / "charts" / "bad.py", pkg / "workbook" / "__init__.py"]
    wrong = _upward_imports([*files, pkg / "workbook" / "odd.py"], tmp_path)
    assert len(wrong) == 8, wrong
    assert sum("vendor_eval.scoring.scorer" in w for w in wrong) == 1  # the lazy root name
    assert any("charts/bad.py" in w and "output" in w for w in wrong)  # siblings apart
    assert any("workbook/__init__.py" in w and "ui.page" in w for w in wrong)  # lazy table
    assert any("unknown vendor_eval.nonsense" in w for w in wrong)


def test_readme_architecture_tree_lists_every_package_folder():
    """The README's tree stays true to the package: one line per folder, none missing."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Architecture\n", 1)[1].split("```", 2)[1]
    listed = {
        line.split()[0]
        for line in section.splitlines()
        if line.strip().endswith("/") or "/ " in line
    }
    folders = {
        p.name + "/"
        for p in PACKAGE.rglob("*")
        if p.is_dir() and p.name != "__pycache__" and any(p.glob("*.py"))
    }
    assert folders, "no package folders found"
    missing = sorted(folders - listed)
    assert not missing, f"README architecture tree lacks {missing}"


def test_the_access_core_imports_only_the_actor_and_errors_of_projects():
    """projects/ may import team's permission core (ACCESS_CORE) only because that core
    stands on nothing of projects/ but the actor and the error classes: no cycle."""
    allowed = ("vendor_eval.projects.actor", "vendor_eval.projects.errors")
    wrong = []
    for dotted in ACCESS_CORE:
        path = ROOT / (dotted.replace(".", "/") + ".py")
        for line, module in _imports(path, ROOT):
            if _stage(module) == "projects" and not module.startswith(allowed):
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert not wrong, "\n".join(wrong)
