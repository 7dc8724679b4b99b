"""load_evaluation on real files: tiny xlsx fixtures written with openpyxl, CSV, the samples."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import soffice_convert
from importer_helpers import where

from vendor_eval.core.model import Scale
from vendor_eval.core.problems import ValidationError
from vendor_eval.workbook.importing.load import load_evaluation

ROOT = Path(__file__).resolve().parents[3]


def xlsx(
    sheets: dict[str, list[list[object]]], formats: dict[tuple[str, str], str] | None = None
) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(r, c, value)
    for (sheet, ref), fmt in (formats or {}).items():
        wb[sheet][ref].number_format = fmt
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_values_as_excel_stores_them(tmp_path: Path) -> None:
    data = xlsx(
        {
            "vendors": [
                ["Vendor", "SLA", "Certified", "Founded", "Notes"],
                ["Acme", 0.995, True, dt.datetime(2001, 5, 1), "ok"],
                [None, None, None],  # blank row, kept in the numbering
                ["Bolt", "98%", "no", dt.datetime(2010, 1, 1), None],
            ],
            " CRITERIA ": [
                ["criterion", "Category", "Weight", "Scale", "Must"],
                ["SLA", "Contract", 2, None, ">= 99%"],
                ["Certified", "Capability", 1, "yes/no", "yes"],
            ],
        },
        {("vendors", "B2"): "0.0%"},
    )
    path = tmp_path / "shortlist.xlsx"
    path.write_bytes(data)
    ev = load_evaluation(path)
    assert ev.vendors == ["Acme", "Bolt"]
    assert ev.values["SLA"].tolist() == pytest.approx([0.995, 0.98])
    assert ev.values["Certified"].tolist() == [1.0, 0.0]
    assert ev.criterion("Certified").scale is Scale.YESNO
    assert list(ev.descriptive.columns) == ["Founded", "Notes"]
    assert ev.descriptive.at["Acme", "Founded"] == dt.date(2001, 5, 1)
    assert ev.source_name == "shortlist.xlsx"
    assert ev.source_sha256 == hashlib.sha256(data).hexdigest()


def test_xlsx_problems_point_at_real_cells() -> None:
    data = xlsx(
        {
            "Vendors": [
                ["Vendor", "SLA", "Certified"],
                ["Acme", "=B3*2", "yes"],  # openpyxl writes the formula without a result
                [],
                ["Acme ", "ten", "perhaps"],
            ],
            "Criteria": [
                ["Criterion", "Category", "Weight", "Scale"],
                ["SLA", "Contract", -2, None],
                ["Certified", "Capability", 1, "yes/no"],
            ],
        }
    )
    with pytest.raises(ValidationError) as exc:
        load_evaluation(data, name="upload.xlsx")
    got = sorted(
        (where(p) for p in exc.value.problems), key=lambda t: (t[0], t[1] or 0, t[2] or "")
    )
    assert got == [
        ("Criteria", 2, "C", "Weight", 'weight -2 is negative for "SLA"'),
        (
            "Vendors",
            2,
            "B",
            "SLA",
            "formula =B3*2 has no saved result: open the file in Excel and save it again",
        ),
        ("Vendors", 4, "A", "Vendor", 'duplicate vendor name "Acme" (also in row 2)'),
        ("Vendors", 4, "B", "SLA", '"ten" is not a number'),
        (
            "Vendors",
            4,
            "C",
            "Certified",
            '"perhaps" is not yes or no (use yes/no, y/n, true/false or 1/0)',
        ),
    ]
    assert exc.value.file == "upload.xlsx"


def test_csv_with_criteria_csv(tmp_path: Path) -> None:
    vendors = tmp_path / "v.csv"
    vendors.write_bytes('\ufeffVendor;Speed;Safe\nAcme;1.25;yes\nBolt;"900";no\n'.encode())
    crit = tmp_path / "c.csv"
    crit.write_text(
        "Criterion,Category,Weight,Direction\nSpeed,Delivery,2,lower\nSafe,Security,1,\n"
    )
    ev = load_evaluation(vendors, criteria=crit)
    assert ev.criterion_names == ["Speed", "Safe"]
    assert ev.values["Speed"].tolist() == [1.25, 900.0]
    assert ev.values["Safe"].tolist() == [1.0, 0.0]


@pytest.mark.parametrize(
    "name", ["sample_vendors.xlsx", "sample_scores.xlsx", "sample_vendors.csv"]
)
def test_bundled_samples_are_valid(name: str) -> None:
    ev = load_evaluation(ROOT / "data" / name)
    assert len(ev.vendors) == 11
    assert len(ev.criteria) == 20
    assert ev.default_model is name.endswith(".csv")
    assert ev.values.notna().to_numpy().mean() > 0.8


@pytest.mark.parametrize("name", ["sample_vendors.xlsx", "sample_vendors.csv"])
def test_a_workbook_saved_by_libreoffice_imports_identically(
    name: str, soffice_path: str, tmp_path: Path
) -> None:
    src = tmp_path / name
    src.write_bytes((ROOT / "data" / name).read_bytes())
    original = load_evaluation(src)
    copy = load_evaluation(soffice_convert(soffice_path, src, tmp_path))
    assert copy.vendors == original.vendors
    assert copy.criteria == original.criteria
    assert copy.categories == original.categories
    pd.testing.assert_frame_equal(copy.values, original.values)
    assert copy.descriptive.to_dict() == original.descriptive.to_dict()
    assert copy.warnings == original.warnings
