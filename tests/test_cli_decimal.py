"""``--decimal comma|point`` on validate, rank, sensitivity and combine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vendor_eval import cli
from vendor_eval.workbook.importing.load import load_evaluation

YEARS = "Years in business"
HEAD = f"Vendor;{YEARS};Blended hourly rate"
REFUSED = (
    'Vendors!B (Years in business): "1,250" could be 1250 or 1.25: say which with '
    '--decimal comma or --decimal point (in the dashboard: "Decimal separator")'
)


@pytest.fixture
def ambiguous(tmp_path: Path) -> Path:
    """Acme's 1,250 years in business are 1.25 with decimal commas, 1250 with points."""
    path = tmp_path / "years.csv"
    path.write_text(f"{HEAD}\nAcme;1,250;900\nBolt;12;900\n")
    return path


@pytest.mark.parametrize("command", ["validate", "rank", "sensitivity"])
def test_an_ambiguous_file_is_refused(
    command: str, ambiguous: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main([command, str(ambiguous)]) == 2
    err = capsys.readouterr().err
    assert REFUSED in err


def test_validate_with_a_choice(ambiguous: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["validate", str(ambiguous), "--decimal", "comma"]) == 0
    assert "2 vendors" in capsys.readouterr().out


@pytest.mark.parametrize(("decimal", "first"), [("comma", "Bolt"), ("point", "Acme")])
def test_rank_reads_the_values_as_told(
    decimal: str, first: str, ambiguous: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["rank", str(ambiguous), "--decimal", decimal, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["vendor"] == first


def test_sensitivity_with_a_choice(ambiguous: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["sensitivity", str(ambiguous), "--decimal", "point", "--samples", "50"]
    assert cli.main([*args, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)


def test_combine_with_a_choice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    acme, bolt = tmp_path / "acme.csv", tmp_path / "bolt.csv"
    acme.write_text(f"{HEAD}\nAcme;1,250;900\n")
    bolt.write_text(f"{HEAD}\nBolt;12;900\n")
    out = tmp_path / "all.xlsx"
    assert cli.main(["combine", str(out), str(acme), str(bolt)]) == 2
    assert f"acme.csv: {REFUSED}" in capsys.readouterr().err
    assert not out.exists()
    assert cli.main(["combine", str(out), str(acme), str(bolt), "--decimal", "comma"]) == 0
    assert load_evaluation(out).values[YEARS].tolist() == [1.25, 12.0]


def test_an_english_csv_is_unchanged(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "english.csv"
    path.write_text(f'Vendor,{YEARS},Blended hourly rate\nAcme,"1,250",900\nBolt,12,900\n')
    assert cli.main(["validate", str(path)]) == 0
    assert load_evaluation(path).values[YEARS].tolist() == [1250.0, 12.0]


def test_the_option_is_offered(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["validate", "x.csv", "--decimal", "dot"])
    err = capsys.readouterr().err
    assert "--decimal: invalid choice: 'dot'" in err and "comma" in err and "point" in err
