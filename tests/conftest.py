"""Shared fixtures: seeded evaluation factories and the CI rule for external tools."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pytest

from vendor_eval.core.model import Category, Criterion, Direction, Evaluation, MustRule, Scale

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample_vendors.xlsx"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_executable(name: str, *candidates: str) -> str:
    """Path of an external program the test needs.

    Outside CI a missing program skips the test; in CI (``CI=true``) it fails it, because a
    skipped real-browser or real-spreadsheet test proves nothing.
    """
    for c in (name, *candidates):
        path = shutil.which(c) or (c if os.path.isabs(c) and os.access(c, os.X_OK) else None)
        if path:
            return path
    msg = f"{name} is not installed (bash .ci/run installs it)"
    if IN_CI:
        pytest.fail(msg)
    pytest.skip(msg)


RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice_convert(
    soffice: str, src: Path, tmp: Path, *, recalculate: bool = False, infilter: str | None = None
) -> Path:
    """``src`` opened and saved as .xlsx by LibreOffice Calc (headless); returns the new file.

    Each conversion uses a private profile under ``tmp`` (no lock on a shared one). With
    ``recalculate`` the profile sets ``Calc/Formula/Load/OOXMLRecalcMode = 0``: LibreOffice
    otherwise trusts the cached values of an xlsx file instead of recalculating them.
    ``infilter`` is LibreOffice's import filter with its options (how a CSV is opened:
    ``Text - txt - csv (StarCalc):44,34,76,…``).
    """
    profile = tmp / f"lo-profile-{src.stem}"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    if recalculate:
        (profile / "user" / "registrymodifications.xcu").write_text(RECALC_ALWAYS)
    out = tmp / f"out-{src.stem}"
    out.mkdir(exist_ok=True)
    opening = [f"--infilter={infilter}"] if infilter else []
    proc = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         *opening, "--convert-to", "xlsx", "--outdir", str(out), str(src)],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    result = out / (src.stem + ".xlsx")
    assert result.exists(), proc.stdout + proc.stderr
    return result


POSTGRES_URL_ENV = "VENDOR_EVAL_TEST_POSTGRES_URL"


def postgres_base_url() -> str:
    """The test server's URL (a role that may CREATE DATABASE); in CI its absence fails."""
    url = os.environ.get(POSTGRES_URL_ENV)
    if url:
        return url
    msg = (
        f"{POSTGRES_URL_ENV} is not set: no PostgreSQL server to test on (bash .ci/run starts one)"
    )
    if IN_CI:
        pytest.fail(msg)
    pytest.skip(msg)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(postgres_base_url())
    name = f"vendor_eval_t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        from pg_helpers import drop_database

        drop_database(admin, name)
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database on each backend: a SQLite file under ``tmp_path``, and a new
    PostgreSQL database on the server ``$VENDOR_EVAL_TEST_POSTGRES_URL`` names (skipped when
    unset, failed in CI)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite3'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def chromium_path() -> str:
    return require_executable("/usr/bin/chromium", "chromium")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The dashboard served for one browser test module (tests/ui/test_browser.py
    ``app_server``; a module needing another server, with a projects database, defines its
    own fixture)."""
    from test_browser import app_server

    with app_server() as url:
        yield url


@pytest.fixture
def browser(chromium_path: str) -> Iterator[Any]:
    """Debian's chromium, driven by Playwright, for one browser test."""
    from test_browser import launched

    with launched(chromium_path) as b:
        yield b


@pytest.fixture
def soffice_path() -> str:
    return require_executable("soffice", "libreoffice")


def make_evaluation(
    values: dict[str, Sequence[float | None]] | pd.DataFrame,
    criteria: Sequence[Criterion] | None = None,
    categories: Sequence[Category] | None = None,
    vendors: Sequence[str] | None = None,
) -> Evaluation:
    """Build an :class:`Evaluation` directly (no workbook), for unit tests.

    ``values`` maps criterion name → one value per vendor (None = missing). Criteria not
    given default to weight 1, category "General", higher is better, relative scale.
    """
    frame = values if isinstance(values, pd.DataFrame) else pd.DataFrame(values)
    if vendors is None:
        vendors = (
            list(frame.index)
            if isinstance(values, pd.DataFrame)
            else [f"V{i + 1}" for i in range(len(frame))]
        )
    frame = frame.astype(float)
    frame.index = list(vendors)
    if criteria is None:
        criteria = [Criterion(name=str(c), category="General", weight=1.0) for c in frame.columns]
    return Evaluation(
        vendors=list(vendors),
        criteria=list(criteria),
        categories=None if categories is None else list(categories),
        values=frame[[c.name for c in criteria]],
        descriptive=pd.DataFrame(index=list(vendors)),
        source_name="test",
    )


@pytest.fixture
def evaluation_factory() -> Callable[..., Evaluation]:
    return make_evaluation


def random_evaluation(
    rng: np.random.Generator,
    n_vendors: int = 8,
    n_criteria: int = 6,
    n_categories: int | None = 3,
    missing_rate: float = 0.0,
) -> Evaluation:
    """A seeded random evaluation mixing scales, directions and categories."""
    criteria = []
    cols = {}
    for j in range(n_criteria):
        name = f"C{j + 1}"
        kind = j % 3
        cat = f"Cat{j % n_categories + 1}" if n_categories else "General"
        direction = Direction.LOWER if rng.random() < 0.3 else Direction.HIGHER
        weight = float(rng.integers(1, 10))
        if kind == 0:
            crit = Criterion(name, cat, weight, direction, Scale.RELATIVE)
            col = rng.normal(100, 30, n_vendors)
        elif kind == 1:
            crit = Criterion(name, cat, weight, direction, Scale.ABSOLUTE, min=1.0, max=5.0)
            col = rng.integers(1, 6, n_vendors).astype(float)
        else:
            crit = Criterion(name, cat, weight, Direction.HIGHER, Scale.YESNO)
            col = rng.integers(0, 2, n_vendors).astype(float)
        if missing_rate:
            col[rng.random(n_vendors) < missing_rate] = np.nan
        criteria.append(crit)
        cols[name] = col
    cats = (
        [Category(f"Cat{k + 1}", float(rng.integers(1, 5))) for k in range(n_categories)]
        if n_categories
        else None
    )
    return make_evaluation(cols, criteria, cats)


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(12345)


__all__ = ["IN_CI", "ROOT", "SAMPLE", "MustRule", "make_evaluation", "random_evaluation"]


def strings(value: object, key: str = "") -> Iterator[tuple[str, str]]:
    """(field, text) of every string under ``value``: a figure's or a Streamlit element's
    dict, lists, and numpy arrays of labels."""
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from strings(v, k)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from strings(v, key)
    elif hasattr(value, "tolist"):  # numpy arrays of labels
        yield from strings(value.tolist(), key)


def xlsx(book: Mapping[str, Sequence[Sequence[object]]]) -> bytes:
    """The sheets (name → rows of cells) as .xlsx bytes, written by openpyxl."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in book.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
