"""Decimal-comma CSV files (docs/workbook-format.md §7): one number convention per file,
decided from its separator and its values; a file that cannot tell is refused."""

from __future__ import annotations

import io
import math
import subprocess
from pathlib import Path

import openpyxl
import pytest

from vendor_eval.core.model import Scale
from vendor_eval.core.problems import Code, ValidationError
from vendor_eval.workbook.combine import combined_workbook, load_combined
from vendor_eval.workbook.importing.cells import DecimalCommaText, parse_must, parse_number
from vendor_eval.workbook.importing.decimal import Convention, decide_decimal, point_text
from vendor_eval.workbook.importing.load import evaluation_from_book, load_evaluation
from vendor_eval.workbook.reading.rawbook import RawBook, RawSheet

RATE, UPTIME = "Blended hourly rate", "SLA uptime"  # two default-model columns
AMBIGUOUS = (
    'a.csv: 1 problem found\n  Vendors!C (Hourly rate): "1,250" could be 1250 or 1.25: say '
    'which with --decimal comma or --decimal point (in the dashboard: "Decimal separator")'
)


def csv_bytes(*rows: str) -> bytes:
    return ("\n".join(rows) + "\n").encode()


def book(sep: str | None, *rows: list[object], kind: str = "csv") -> RawBook:
    return RawBook("v.csv", "", kind, [RawSheet("Vendors", [list(r) for r in rows])], sep)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.250,50", 1250.5),
        ("4,5", 4.5),
        ("95 €", 95.0),
        ("1.250,50 €", 1250.5),
        ("-1.234.567,8", -1234567.8),
        ("12,5 %", 0.125),
        ("1.250", 1250.0),
        ("1,250", 1.25),
        ("0,75", 0.75),
        ("1 250,5", 1250.5),
        ("(1.200,5)", -1200.5),
        ("1,5E3", 1500.0),
        ("12", 12.0),
    ],
)
def test_decimal_comma_text_reads_with_commas(text: str, expected: float) -> None:
    assert parse_number(DecimalCommaText(text)) == expected


def test_a_point_in_a_comma_file_is_an_error_at_its_cell() -> None:
    with pytest.raises(ValidationError) as exc:
        load_evaluation(csv_bytes(f"Vendor;{RATE}", "Acme;4,5", "Bolt;1,250.50"), name="v.csv")
    (p,) = exc.value.problems
    assert (p.cell, p.code) == ("B3", Code.DECIMAL_COMMA)
    assert p.message == (
        '"1,250.50" is not a number: the file writes numbers with decimal commas (1.234,5), '
        "e.g. 1250,50"
    )


def test_a_semicolon_file_with_decimal_commas() -> None:
    data = csv_bytes(
        f"Vendor;{RATE};{UPTIME}",
        "Acme;1.250,50 €;99,5 %",
        "Bolt;95 €;12,5 %",
        "Cask;1.250;90 %",
        "Dyna;1.234.567,8;0,75",
    )
    ev = load_evaluation(data, name="v.csv")
    assert ev.values[RATE].tolist() == [1250.5, 95.0, 1250.0, 1234567.8]
    assert ev.values[UPTIME].tolist() == [0.995, 0.125, 0.9, 0.75]


def test_only_1_250_shaped_numbers_are_refused_naming_the_column() -> None:
    data = csv_bytes("Vendor;Price;Hourly rate", "Acme;100;1,250", "Bolt;200;2,500")
    with pytest.raises(ValidationError) as exc:
        load_evaluation(data, name="a.csv")
    assert str(exc.value) == AMBIGUOUS
    (p,) = exc.value.problems
    assert (p.sheet, p.cell, p.header, p.code) == (
        "Vendors",
        "C",
        "Hourly rate",
        "ambiguous_decimal",
    )


@pytest.mark.parametrize(("decimal", "expected"), [("comma", [1.25, 2.5]), ("point", [1250, 2500])])
def test_the_choice_settles_an_ambiguous_file(decimal: str, expected: list[float]) -> None:
    data = csv_bytes(f"Vendor;{RATE}", "Acme;1,250", "Bolt;2,500")
    ev = load_evaluation(data, name="a.csv", decimal=decimal)
    assert ev.values[RATE].tolist() == expected


def test_a_comma_separated_file_keeps_english_rules() -> None:
    data = csv_bytes(f"Vendor,{RATE},{UPTIME}", 'Acme,"1,250",99.5%', 'Bolt,"1,250.50",12%')
    ev = load_evaluation(data, name="v.csv")
    assert ev.values[RATE].tolist() == [1250.0, 1250.5]
    with pytest.raises(ValidationError) as exc:
        load_evaluation(csv_bytes(f"Vendor,{RATE}", 'Acme,"4,5"'), name="v.csv")
    assert exc.value.problems[0].message == '"4,5" is not a number: use a decimal point, e.g. 4.5'


def test_a_tab_separated_file_keeps_english_rules() -> None:
    ev = load_evaluation(csv_bytes(f"Vendor\t{RATE}", "Acme\t1,250"), name="v.csv")
    assert ev.values[RATE].tolist() == [1250.0]


def test_a_semicolon_file_with_english_numbers_is_read_with_points() -> None:
    data = csv_bytes(f"Vendor;{RATE};{UPTIME}", "Acme;1.25;3.5", "Bolt;1,250;0.5")
    ev = load_evaluation(data, name="v.csv")
    assert ev.values[RATE].tolist() == [1.25, 1250.0]
    assert ev.values[UPTIME].tolist() == [3.5, 0.5]


def test_a_semicolon_file_of_whole_numbers_reads_as_today() -> None:
    ev = load_evaluation(csv_bytes(f"Vendor;{RATE}", "Acme;1250", "Bolt;95 €"), name="v.csv")
    assert ev.values[RATE].tolist() == [1250.0, 95.0]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["4,5", "1,250"], Convention.COMMA),  # 4,5 tells: 1,250 is 1.25
        (["1.25", "1,250"], Convention.POINT),
        (["0,750"], Convention.COMMA),  # thousands never follow a lone zero
        (["0.750"], Convention.POINT),
        (["4,5", "5,5", "1.25"], Convention.COMMA),  # the majority; 1.25 is then an error
        (["1.25", "2.5", "4,5"], Convention.POINT),
        (["12", "95 €", "n/a"], Convention.POINT),  # nothing to tell, nothing that differs
    ],
)
def test_decide_decimal(cells: list[str], expected: Convention) -> None:
    assert decide_decimal(book(";", ["Vendor", "X"], *(["V", c] for c in cells))) is expected


def test_xlsx_text_cells_follow_todays_rules_whatever_the_choice() -> None:
    xlsx = book(None, ["Vendor", RATE], ["Acme", "4,5"], kind="xlsx")
    assert decide_decimal(xlsx, "comma") is Convention.POINT
    with pytest.raises(ValidationError) as exc:
        evaluation_from_book(xlsx, decimal="comma")
    assert exc.value.problems[0].code == Code.DECIMAL_COMMA


def test_a_separate_criteria_file_has_its_own_convention() -> None:
    vendors = csv_bytes(f"Vendor;{RATE};Years in business", "Acme;1.250,5;12", "Bolt;900;3")
    criteria = csv_bytes(
        "Criterion;Category;Weight;Direction;Scale;Min;Max;Must",
        f"{RATE};Cost;2,5;lower;relative;;;<= 1.000,5",
        "Years in business;Experience;1,5;;;;;",
    )
    ev = load_evaluation(vendors, name="v.csv", criteria=criteria)
    assert [c.weight for c in ev.criteria] == [2.5, 1.5]
    assert ev.criteria[0].must is not None and ev.criteria[0].must.value == 1000.5


def test_a_must_rule_is_read_as_the_file_writes_numbers() -> None:
    rule = parse_must(DecimalCommaText(">= 4,5"), Scale.ABSOLUTE)
    assert rule is not None and (rule.op, rule.value) == (">=", 4.5)


def test_point_text_for_the_combined_workbook() -> None:
    assert point_text(DecimalCommaText("1.250,50 €")) == "1250.50 €"
    assert point_text(DecimalCommaText("12,5 %")) == "12.5 %"
    assert point_text(DecimalCommaText("Version 2.5b")) == "Version 2.5b"
    assert point_text("4,5") == "4,5"  # not marked: left as it is


def test_combined_files_keep_their_own_conventions(tmp_path: Path) -> None:
    german = tmp_path / "acme.csv"
    german.write_bytes(csv_bytes(f"Vendor;{RATE};{UPTIME}", "Acme;1.250,50;99,5 %"))
    english = tmp_path / "bolt.csv"
    english.write_bytes(csv_bytes(f"Vendor,{RATE},{UPTIME}", 'Bolt,"1,250",12.5%'))
    ev = load_combined([german, english])
    assert ev.values[RATE].tolist() == [1250.5, 1250.0]
    assert ev.values[UPTIME].tolist() == [0.995, 0.125]
    data, _ = combined_workbook([german, english])
    again = load_evaluation(data, name="combined.xlsx")
    assert again.values[RATE].tolist() == [1250.5, 1250.0]
    assert again.values[UPTIME].tolist() == [0.995, 0.125]


def test_combining_an_ambiguous_file_names_it(tmp_path: Path) -> None:
    a = tmp_path / "a.csv"
    a.write_bytes(csv_bytes(f"Vendor;{RATE}", "Acme;1,250"))
    b = tmp_path / "b.csv"
    b.write_bytes(csv_bytes(f"Vendor;{RATE}", "Bolt;900"))
    with pytest.raises(ValidationError) as exc:
        load_combined([a, b])
    assert [(p.file, p.code) for p in exc.value.problems] == [("a.csv", "ambiguous_decimal")]
    assert load_combined([a, b], decimal="comma").values[RATE].tolist() == [1.25, 900.0]


# -- files written by LibreOffice in a German locale --------------------------------------
_GERMAN = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">
<value>de-DE</value></prop></item>
</oor:items>
"""
# Field separator ";" (59), text delimiter '"' (34), UTF-8 (76), from line 1, no column
# formats, language German (1031). The language token is read on import only: the numbers
# are written in the profile's locale, set to de-DE above.
_FILTER = "csv:Text - txt - csv (StarCalc):59,34,76,1,,1031"


def _german_csv(soffice: str, xlsx: Path, tmp: Path) -> bytes:
    profile = tmp / "lo-profile-de"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_GERMAN, encoding="utf-8")
    out = tmp / "csv"
    proc = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", _FILTER, "--outdir", str(out), str(xlsx)],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return (out / (xlsx.stem + ".csv")).read_bytes()


def test_a_csv_written_by_a_german_libreoffice_reads_back(
    soffice_path: str, tmp_path: Path
) -> None:
    rates, uptimes = [1250.5, 4.5, 1234567.8, 1250.0], [0.995, 0.125, 0.9, 0.75]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Vendors"
    ws.append(["Vendor", RATE, UPTIME, "Years in business"])
    for i, (r, u) in enumerate(zip(rates, uptimes, strict=True)):
        ws.append([f"Vendor {i}", r, u, 1.25 * (i + 1)])
        ws.cell(i + 2, 2).number_format = "#,##0.00"
        ws.cell(i + 2, 3).number_format = "0.0%"
    buf = io.BytesIO()
    wb.save(buf)
    xlsx = tmp_path / "german.xlsx"
    xlsx.write_bytes(buf.getvalue())
    data = _german_csv(soffice_path, xlsx, tmp_path)
    assert b"Vendor 0;1.250,50;99,5%;1,25" in data  # as a German Excel writes it
    ev = load_evaluation(data, name="german.csv")
    assert ev.values[RATE].tolist() == rates
    assert ev.values[UPTIME].tolist() == uptimes
    assert ev.values["Years in business"].tolist() == [1.25, 2.5, 3.75, 5.0]
    assert not any(math.isnan(x) for x in ev.values[RATE])
