"""CellMap: problems at a built book's cells move back to the original cells."""

from __future__ import annotations

from vendor_eval.core.problems import WARNING, Problem, ValidationError
from vendor_eval.workbook.importing.relocate import CellMap, Place


def _map() -> CellMap:
    m = CellMap()
    m.cell("Vendors", 3, "C", Place("Evaluation", 4, "D", "Globex Services, Technical fit"))
    m.row("Vendors", 3, Place("Evaluation", 2, "D", "Globex Services"))
    m.column("Vendors", "C", Place("Evaluation", 4, None, "Technical fit"))
    m.sheet("Vendors", Place("Evaluation"))
    return m


def test_a_cell_moves_to_its_original_cell_with_both_names():
    p = Problem('"good" is not a number', "Vendors", 3, "C", "Technical fit", file="m.xlsx")
    moved = _map().relocate(p)
    assert str(moved) == ('Evaluation!D4 (Globex Services, Technical fit): "good" is not a number')
    assert moved.file == "m.xlsx" and moved.message == p.message


def test_a_row_a_column_and_a_sheet_move_by_the_most_specific_entry():
    m = _map()
    assert m.relocate(Problem("x", "vendors", 3)).location == "Evaluation!D2 (Globex Services)"
    assert m.relocate(Problem("x", "Vendors", None, "C")).location == "Evaluation!4 (Technical fit)"
    # a cell the map does not know falls back to the sheet
    assert m.relocate(Problem("x", "Vendors", 9, "Z", "Other")).location == "Evaluation"
    assert m.relocate(Problem("x", "Vendors")).location == "Evaluation"


def test_what_the_map_does_not_know_is_left_alone_and_severity_and_code_are_kept():
    m = _map()
    p = Problem("x", "Criteria", 2, "A", severity=WARNING, code="no_values")
    assert m.relocate(p) is p
    q = m.relocate(Problem("y", "Vendors", 3, "C", code="not_a_number", severity=WARNING))
    assert (q.code, q.severity) == ("not_a_number", WARNING)
    assert m.relocate(Problem("file-level")).sheet is None


def test_a_combined_file_names_its_own_file():
    m = CellMap()
    m.row("Vendors", 2, Place("Response", 1, "B", "Vendor", file="acme.xlsx"))
    err = m.relocate_error(ValidationError([Problem("dup", "Vendors", 2)], "combined.xlsx"))
    assert [(p.file, p.location) for p in err.problems] == [("acme.xlsx", "Response!B1 (Vendor)")]
    assert len(m) == 1
