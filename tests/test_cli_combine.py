"""``combine OUT.xlsx FILE…``, and ``rank``/``validate``/``sensitivity`` on several files."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from vendor_eval import cli
from vendor_eval.workbook.combine import load_combined
from vendor_eval.workbook.importing.load import load_evaluation

HEAD = ["Vendor", "Years in business", "Rating", "ISO 27001", "Website"]
ROWS = {
    "acme.xlsx": ["Acme IT", 12, 4, "yes", "acme.example"],
    "bolt.xlsx": ["Bolt Services", "5", "3", "no", None],
    "crane.xlsx": ["Crane Ltd", 20, 5, True, "crane.example"],
    "dyna.xlsx": ["Dyna Corp", 8, 2, "yes", "dyna.example"],
}
CRITERIA = [
    ["Criterion", "Category", "Weight", "Direction", "Scale", "Min", "Max"],
    ["Years in business", "Reputation", 2, None, None, None, None],
    ["Rating", "Reputation", 3, None, "absolute", 1, 5],
    ["ISO 27001", "Capability", 1, None, "yes/no", None, None],
    ["Total cost of ownership", "Cost", 2, None, "price", None, None],
]
COSTS_HEAD = ["Vendor", "Item", "Amount", "Frequency"]
PRICES = {"acme.xlsx": 1000, "bolt.xlsx": 900, "crane.xlsx": 1500, "dyna.xlsx": 700}


def write(folder: Path, name: str, book: dict[str, list[list[object]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet, rows in book.items():
        ws = wb.create_sheet(sheet)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    path = folder / name
    path.write_bytes(out.getvalue())
    return path


def response(name: str) -> dict[str, list[list[object]]]:
    row = list(ROWS[name])
    return {
        "Vendors": [HEAD, row],
        "Costs": [COSTS_HEAD, [row[0], "Licence", PRICES[name], "monthly"]],
    }


def assert_same(ev, other) -> None:
    assert ev.vendors == other.vendors
    pd.testing.assert_frame_equal(ev.values, other.values)
    pd.testing.assert_frame_equal(ev.descriptive, other.descriptive)


@pytest.fixture
def files(tmp_path: Path) -> list[str]:
    """Four response files and the criteria file."""
    paths = [write(tmp_path, name, response(name)) for name in ROWS]
    paths.append(write(tmp_path, "criteria.xlsx", {"Criteria": CRITERIA}))
    return [str(p) for p in paths]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_combine_writes_a_workbook_that_loads_to_the_same_evaluation(tmp_path, files, capsys):
    out = tmp_path / "combined.xlsx"
    code, stdout, stderr = run(capsys, "combine", str(out), *files)
    assert (code, stderr) == (0, "")
    assert stdout == f"combined 4 vendors from 5 files into {out}\n"
    assert_same(load_evaluation(out), load_combined(files))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [*(Path(f).name for f in files), "combined.xlsx"]
    )  # no temporary file left


def test_combine_refuses_to_overwrite_without_force(tmp_path, files, capsys):
    out = tmp_path / "combined.xlsx"
    out.write_bytes(b"mine")
    code, stdout, stderr = run(capsys, "combine", str(out), *files)
    assert (code, stdout) == (2, "")
    assert stderr == f"error: {out}: already exists (use --force to overwrite)\n"
    assert out.read_bytes() == b"mine"
    assert run(capsys, "combine", str(out), *files, "--force")[0] == 0
    assert load_evaluation(out).vendors == ["Acme IT", "Bolt Services", "Crane Ltd", "Dyna Corp"]


def test_combine_refuses_to_write_over_an_input_file(files, capsys):
    code, _, stderr = run(capsys, "combine", files[0], *files, "--force")
    assert code == 2
    assert stderr == (
        f"error: {files[0]} is an input file: choose another name for the combined workbook\n"
    )


def test_combine_lists_every_conflict_and_writes_nothing(tmp_path, files, capsys):
    again = write(tmp_path, "acme-2.xlsx", {"Vendors": [HEAD, ROWS["acme.xlsx"]]})
    out = tmp_path / "combined.xlsx"
    code, stdout, stderr = run(capsys, "combine", str(out), *files, str(again))
    assert (code, stdout) == (2, "")
    assert stderr.splitlines() == [
        "acme.xlsx, bolt.xlsx, crane.xlsx and 3 more files: 1 problem found",
        '  acme-2.xlsx: Vendors!A2 (Vendor): vendor "Acme IT" is also in acme.xlsx '
        "(Vendors!A2): each vendor's response belongs in one file; delete one of the two",
    ]
    assert not out.exists()


def test_rank_on_several_files_equals_rank_on_the_combined_workbook(tmp_path, files, capsys):
    out = tmp_path / "combined.xlsx"
    assert run(capsys, "combine", str(out), *files)[0] == 0
    for fmt in ("json", "csv", "table"):
        several = run(capsys, "rank", *files, "--format", fmt)
        one = run(capsys, "rank", str(out), "--format", fmt)
        assert several == one, fmt
        assert several[0] == 0
    records = json.loads(run(capsys, "rank", *files, "--format", "json")[1])
    assert records[0]["vendor"] == "Crane Ltd"


def test_validate_and_sensitivity_on_several_files(files, capsys):
    code, stdout, _ = run(capsys, "validate", *files)
    assert code == 0
    assert stdout.splitlines()[0] == (
        "acme.xlsx, bolt.xlsx, crane.xlsx and 2 more files: valid — 4 vendors, 4 criteria, "
        "0 warnings"
    )
    code, stdout, _ = run(capsys, "sensitivity", *files, "--samples", "200", "--format", "json")
    assert code == 0
    assert json.loads(stdout)["p_first"]


def test_a_bad_cell_in_one_of_several_files_is_named_with_its_file(tmp_path, files, capsys):
    bad = response("bolt.xlsx")
    bad["Vendors"][1][1] = "ten"
    files[1] = str(write(tmp_path, "bolt.xlsx", bad))
    code, stdout, stderr = run(capsys, "rank", *files)
    assert (code, stdout) == (2, "")
    assert stderr.splitlines()[1:] == [
        '  bolt.xlsx: Vendors!B2 (Years in business): "ten" is not a number'
    ]


def test_rank_out_may_not_be_one_of_several_inputs(files, capsys):
    code, _, stderr = run(capsys, "rank", *files, "--out", files[2])
    assert code == 2
    assert "is an input file" in stderr


FORM = [
    ["Supplier questionnaire 2026"],
    ["Supplier name:", "Crane Ltd"],
    ["Question", "Answer"],
    ["Years in business", 20],
    ["Rating", 5],
    ["ISO 27001", "yes"],
]


def test_a_lone_questionnaire_is_read_as_one_vendors_response_file(tmp_path, capsys):
    form = str(write(tmp_path, "crane.xlsx", {"Response": FORM}))
    criteria = str(write(tmp_path, "criteria.xlsx", {"Criteria": CRITERIA[:4]}))
    code, stdout, stderr = run(capsys, "validate", form, "--criteria", criteria)
    assert (code, stderr) == (0, "")
    assert stdout.startswith("crane.xlsx: valid — 1 vendor")
    code, stdout, _ = run(capsys, "rank", form, "--criteria", criteria, "--format", "json")
    assert code == 0
    assert [r["vendor"] for r in json.loads(stdout)] == ["Crane Ltd"]
    twin = write(tmp_path, "twin.xlsx", {"Vendors": [HEAD[:4], ROWS["crane.xlsx"][:4]]})
    assert run(capsys, "rank", str(twin), "--criteria", criteria, "--format", "json")[1] == stdout


def test_a_lone_questionnaires_problem_names_its_cell(tmp_path, capsys):
    form = [list(r) for r in FORM]
    form[4][1] = "five"
    path = str(write(tmp_path, "crane.xlsx", {"Response": form, "Criteria": CRITERIA[:4]}))
    code, stdout, stderr = run(capsys, "rank", path)
    assert (code, stdout) == (2, "")
    assert stderr.splitlines()[1:] == ['  crane.xlsx: Response!B5 (Rating): "five" is not a number']
