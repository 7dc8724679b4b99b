"""The specification lives in docs/: code and README cite it, and only it, by section.

(a) No source file nor the README points at a document outside the repository (the old
    product reference, the architecture notes, or a path into the shared folder).
(b) Every ``docs/<name>.md §N[.M]`` citation names an existing docs file with a heading
    numbered N[.M]; the docs' own cross-references (``scoring.md §4``, ``(§7)``) likewise.
(c) docs/README.md links every docs file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
THIS = Path(__file__).resolve()

# Spelt in pieces so that this file does not match its own patterns.
_DESIGN = "DE" + "SIGN"
OUTSIDE = re.compile(
    rf"\b{_DESIGN}(?:\.md\b|\s*§)"  # the old product reference, by name or by section
    r"|\bARCHITECTURE\.md\b|\bSTYLE\.md\b"  # the architecture and style notes
    r"|\.\./shared\b|(?<![\w.-])shared/"  # any path into the shared folder
)
SECTION = r"§\d+(?:\.\d+)*"
# A section, or a chain of them: "§2", "§2, §6", "§2–§4", "§2–§6 and §8".
CHAIN = rf"{SECTION}(?:(?:\s*,\s*|\s+and\s+|\s*[–-]\s*){SECTION})*"
CITATION = re.compile(rf"docs/([\w-]+\.md)(?:\s+({CHAIN}))?")
DOC_REFERENCE = re.compile(rf"(?:\b([\w-]+\.md)(?:\]\([^)]*\))?\s+)?({CHAIN})")
HEADING = re.compile(r"^#{2,6}\s+(\d+(?:\.\d+)*)\.?\s", re.MULTILINE)


def _sources() -> list[Path]:
    files = [ROOT / "app.py"]
    for folder in ("vendor_eval", "tests", "benchmarks", "data"):
        files += sorted((ROOT / folder).rglob("*.py"))
    return [f for f in files if f.resolve() != THIS and ".venv" not in f.parts]


SOURCES = _sources()
SCANNED = [*SOURCES, ROOT / "README.md"]


def _sections(doc: Path) -> set[str]:
    return set(HEADING.findall(doc.read_text(encoding="utf-8")))


def _docs() -> dict[str, set[str]]:
    """Docs file name → its numbered headings ("1", "1.2", ...)."""
    return {p.name: _sections(p) for p in sorted(DOCS.glob("*.md"))}


def _numbers(chain: str | None) -> list[str]:
    return re.findall(r"§(\d+(?:\.\d+)*)", chain or "")


def _citations() -> list[tuple[Path, int, str, list[str]]]:
    """Every docs citation in the scanned files: (file, line, docs name, sections)."""
    out = []
    for path in SCANNED:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for m in CITATION.finditer(line):
                out.append((path, n, m.group(1), _numbers(m.group(2))))
    return out


def test_the_scan_reads_the_code_and_the_readme() -> None:
    names = {p.relative_to(ROOT).parts[0] for p in SOURCES}
    assert {"app.py", "vendor_eval", "tests", "benchmarks", "data"} <= names
    assert len(SOURCES) > 60
    assert (ROOT / "vendor_eval" / "scoring" / "normalise.py") in SOURCES
    assert THIS not in SOURCES


def test_the_outside_pattern_catches_what_it_should() -> None:
    for bad in (
        f"see {_DESIGN} §3.4",
        f"({_DESIGN}§2)",
        f"{_DESIGN}.md section 4",
        "ARCHITECTURE.md",
        "../shared/STYLE.md",
        "from shared/notes",
    ):
        assert OUTSIDE.search(bad), bad
    for fine in ("docs/scoring.md §4", "the shared caches", "a design choice", "unshared/x"):
        assert not OUTSIDE.search(fine), fine


@pytest.mark.parametrize("path", SCANNED, ids=lambda p: str(p.relative_to(ROOT)))
def test_nothing_cites_a_document_outside_the_repository(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    hits = [
        f"{n}: {line.strip()}"
        for n, line in enumerate(text.splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert not hits, "cite docs/<file>.md §N instead:\n" + "\n".join(hits)


def test_docs_citations_point_at_existing_sections() -> None:
    docs = _docs()
    citations = _citations()
    # Not vacuous: the code does cite the docs, by section, and every docs file is cited.
    assert len(citations) >= 30
    assert sum(bool(sections) for *_, sections in citations) >= 20
    assert {name for _, _, name, _ in citations} >= set(docs) - {"README.md"}
    bad = []
    for path, n, name, sections in citations:
        where = f"{path.relative_to(ROOT)}:{n}: docs/{name}"
        if name not in docs:
            bad.append(f"{where}: no such docs file")
            continue
        bad += [f"{where} §{s}: no such section" for s in sections if s not in docs[name]]
    assert not bad, "\n".join(bad)


def test_docs_cross_references_point_at_existing_sections() -> None:
    docs = _docs()
    bad = []
    checked = 0
    for name in docs:
        text = (DOCS / name).read_text(encoding="utf-8")
        for n, line in enumerate(text.splitlines(), 1):
            if HEADING.match(line):
                continue
            for m in DOC_REFERENCE.finditer(line):
                target = m.group(1) or name
                if target not in docs:
                    continue  # e.g. the project README, which has no numbered sections
                for s in _numbers(m.group(2)):
                    checked += 1
                    if s not in docs[target]:
                        bad.append(f"docs/{name}:{n}: {target} §{s}: no such section")
    assert checked >= 30
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("name", ["workbook-format.md", "scoring.md", "stress-tests.md"])
def test_each_doc_numbers_its_sections_once(name: str) -> None:
    text = (DOCS / name).read_text(encoding="utf-8")
    numbers = HEADING.findall(text)
    assert len(numbers) >= 8, "sections must be numbered, e.g. '## 1. Vendors'"
    assert len(numbers) == len(set(numbers)), "a section number is used twice"
    top = [int(x) for x in numbers if "." not in x]
    assert top == list(range(1, len(top) + 1)), "top-level sections must run 1, 2, 3, …"


def test_docs_readme_links_every_doc() -> None:
    index = (DOCS / "README.md").read_text(encoding="utf-8")
    linked = set(re.findall(r"\]\(([^)#]+)\)", index))
    docs = {p.name for p in DOCS.glob("*.md")} - {"README.md"}
    assert docs, "docs/ holds no documents"
    missing = sorted(docs - linked)
    assert not missing, f"docs/README.md does not link {missing}"
    broken = sorted(t for t in linked if not (DOCS / t).resolve().exists())
    assert not broken, f"docs/README.md links missing files {broken}"
