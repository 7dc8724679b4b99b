"""Offline score sheets: the scale rules (team/scale.py), the signed token (team/tokens.py),
the workbook written (output/excel/scoresheet.py) and the returned file read and checked
(team/sheet_file.py), through the sandboxed reader as in production."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import math
import os
import stat
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from vendor_eval.core.model import Criterion, Scale
from vendor_eval.core.problems import VendorEvalError
from vendor_eval.output.excel.scoresheet import (
    INSTRUCTIONS,
    TOKEN_NOTE,
    GuideRow,
    SheetRowIn,
    scoresheet_bytes,
)
from vendor_eval.team import scale, tokens
from vendor_eval.team.errors import SheetRefused
from vendor_eval.team.sheet_file import SheetFile, SheetRow, check_rows, read_scoresheet
from vendor_eval.team.tokens import MISMATCH, UNREADABLE, BadToken

KEY = b"k" * 32
MADE = datetime(2026, 12, 2, 9, 30, tzinfo=UTC)
AGAIN = "download the sheet from vendor-eval again"


def absolute(name: str, lo: float, hi: float) -> Criterion:
    return Criterion(name, "Technical", 1.0, scale=Scale.ABSOLUTE, min=lo, max=hi, source="scores")


QUALITY = absolute("Quality", 1, 5)
RISK = absolute("Risk", 0, 2.5)
CRITERIA = {"Quality": QUALITY, "Risk": RISK}
PAIRS = [("Acme IT", "Quality"), ("Acme IT", "Risk"), ("=1+1", "Quality"), ("Beta", "Risk")]


def guide() -> list[GuideRow]:
    return [
        GuideRow("Quality", "Technical", 1, 5, scale.whole_points(QUALITY), "How good the work is"),
        GuideRow("Risk", "Technical", 0, 2.5, scale.whole_points(RISK), "=risk of failure"),
    ]


def token(pairs: list[tuple[str, str]] = PAIRS) -> str:
    payload = {"p": "Tender", "e": "eva@example.org", "r": 3, "pairs": tokens.pairs_digest(pairs)}
    return tokens.sign(KEY, payload)


def sheet_bytes(
    rows: list[SheetRowIn] | None = None, guide_rows: list[GuideRow] | None = None
) -> bytes:
    if rows is None:
        rows = [SheetRowIn(v, c, None, "") for v, c in PAIRS]
    return scoresheet_bytes(
        project="Tender",
        evaluator="eva@example.org",
        revision=3,
        rows=rows,
        guide=guide_rows if guide_rows is not None else guide(),
        token=token([(r.vendor, r.criterion) for r in rows]),
        made_at=MADE,
    )


def filled() -> list[SheetRowIn]:
    return [
        SheetRowIn("Acme IT", "Quality", 4, "solid references"),
        SheetRowIn("Acme IT", "Risk", 0.25, ""),
        SheetRowIn("=1+1", "Quality", 5, "=best of all"),
        SheetRowIn("Beta", "Risk", 0.5, ""),
    ]


def edited(data: bytes, change: Callable[[Workbook], object]) -> bytes:
    """``data`` opened with openpyxl, changed by ``change(workbook)``, saved again."""
    wb = load_workbook(io.BytesIO(data))
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def plain_book(sheets: dict[str, list[list[object]]]) -> bytes:
    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# -- scale --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lo", "hi", "points"),
    [
        (1, 5, [1, 2, 3, 4, 5]),
        (1.0, 5.0, [1, 2, 3, 4, 5]),
        (-2, 2, [-2, -1, 0, 1, 2]),
        (0, 100, list(range(101))),
        (0, 101, None),
        (0.5, 5, None),
        (0, 1.5, None),
    ],
)
def test_whole_points(lo, hi, points):
    assert scale.whole_points(absolute("X", lo, hi)) == points


@pytest.mark.parametrize(
    "criterion",
    [
        Criterion("X", "C", 1.0, scale=Scale.RELATIVE, min=1, max=5),
        Criterion("X", "C", 1.0, scale=Scale.YESNO),
        Criterion("X", "C", 1.0, scale=Scale.ABSOLUTE, min=None, max=5),
        absolute("X", 5, 5),
        absolute("X", 5, 1),
        absolute("X", 1, math.inf),
    ],
)
def test_a_scale_that_is_not_absolute_with_min_below_max_is_a_programming_error(criterion):
    for ask in (scale.whole_points, scale.scale_text):
        with pytest.raises(ValueError, match="is not on an absolute scale with Min below Max"):
            ask(criterion)
    with pytest.raises(ValueError, match="is not on an absolute scale"):
        scale.score_problem(criterion, 3)
    with pytest.raises(ValueError, match="is not on an absolute scale"):
        scale.parse_score("3", criterion)


@pytest.mark.parametrize(
    ("criterion", "value", "problem"),
    [
        (QUALITY, 1, None),
        (QUALITY, 5.0, None),
        (QUALITY, 6, "6 is outside the scale 1–5 of 'Quality'"),
        (QUALITY, 0, "0 is outside the scale 1–5 of 'Quality'"),
        (QUALITY, 5.0000001, "5.0000001 is outside the scale 1–5 of 'Quality'"),
        (QUALITY, 3.5, "3.5 is not one of the points 1, 2, 3, 4, 5 of 'Quality'"),
        (QUALITY, 3.0000001, "3.0000001 is not one of the points 1, 2, 3, 4, 5 of 'Quality'"),
        (QUALITY, math.nan, "NaN is not a number on the scale 1–5 of 'Quality'"),
        (QUALITY, math.inf, "inf is not a number on the scale 1–5 of 'Quality'"),
        (RISK, 0.37, None),
        (RISK, 2.6, "2.6 is outside the scale 0–2.5 of 'Risk'"),
        (absolute("Pass", 0, 1), 0.5, "0.5 is not one of the points 0, 1 of 'Pass'"),
        (absolute("Pct", 0, 100), 50, None),
        (absolute("Pct", 0, 100), 2.5, "2.5 is not one of the points 0, 1, 2, …, 100 of 'Pct'"),
        (absolute("Fine", 0, 0.5), 0.25, None),
    ],
)
def test_score_problem(criterion, value, problem):
    assert scale.score_problem(criterion, value) == problem


def test_a_consensus_may_fall_between_points_but_not_off_the_scale():
    assert scale.consensus_problem(QUALITY, 3.5) is None
    assert scale.consensus_problem(QUALITY, 1) is None
    assert scale.consensus_problem(QUALITY, 6) == "6 is outside the scale 1–5 of 'Quality'"
    assert scale.consensus_problem(QUALITY, math.nan) == (
        "NaN is not a number on the scale 1–5 of 'Quality'"
    )


@pytest.mark.parametrize(
    ("value", "required"),
    [(1, True), (5, True), (5 - 1e-12, True), (1.0000001, False), (3, False)],
)
def test_a_comment_is_required_at_the_lowest_and_highest_score(value, required):
    assert scale.comment_required(QUALITY, value) is required


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        (4, 4.0),
        (4.5, 4.5),
        (" 4 ", 4.0),
        ("4.5", 4.5),
        ("1E0", 1.0),
        (None, None),
        ("", None),
        ("   ", None),
    ],
)
def test_parse_score(raw, value):
    assert scale.parse_score(raw, QUALITY) == value


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("good", '"good" is not a number'),
        (True, "TRUE is a yes/no value, not a number"),
        ("4,5", '"4,5" is not a number: use a decimal point, e.g. 4.5'),
        ("N/A", '"N/A" is not a number: leave the cell empty if it is unknown'),
        ("85%", '"85%" is a percentage, not a score: type a number on the scale 1–5'),
        ("$4", '"$4" is an amount of money, not a score: type a number on the scale 1–5'),
        (date(2026, 1, 2), "2026-01-02 is a date, not a number"),
        (math.nan, "NaN is not a number"),
    ],
)
def test_parse_score_refuses_what_is_not_a_number(raw, message):
    with pytest.raises(ValueError) as e:
        scale.parse_score(raw, QUALITY)
    assert str(e.value).startswith(message)


# -- tokens -------------------------------------------------------------------------------


def test_a_token_is_base64url_json_dot_hex_hmac_and_verifies():
    payload = {"p": "Tender ✓", "e": "eva@example.org", "r": 3, "pairs": "ab"}
    t = tokens.sign(KEY, payload)
    encoded, signature = t.split(".")
    assert "=" not in encoded
    data = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    assert (
        data
        == json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    )
    assert signature == hmac.new(KEY, data, hashlib.sha256).hexdigest()
    assert tokens.verify(KEY, t) == payload
    assert tokens.sign(KEY, dict(reversed(payload.items()))) == t  # canonical: keys sorted


def _resigned_payload(t: str, change: dict[str, object]) -> str:
    """``t`` with its payload changed but its signature kept (an edited Token cell)."""
    encoded, signature = t.split(".")
    payload = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    payload.update(change)
    data = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode() + "." + signature


def test_an_edited_or_foreign_token_does_not_match():
    t = token()
    encoded, signature = t.split(".")
    flipped = signature[:-1] + ("0" if signature[-1] != "0" else "1")
    for bad in (_resigned_payload(t, {"r": 4}), f"{encoded}.{flipped}"):
        with pytest.raises(BadToken) as e:
            tokens.verify(KEY, bad)
        assert str(e.value) == MISMATCH
    with pytest.raises(BadToken) as e:
        tokens.verify(b"another key of thirty-two bytes!", t)
    assert str(e.value) == (
        "the sheet's signature does not match: it was not made by this vendor-eval for this "
        "project, or it was edited"
    )
    assert issubclass(BadToken, VendorEvalError)


def _signed_raw(data: bytes) -> str:
    encoded = base64.urlsafe_b64encode(data).rstrip(b"=").decode()
    return encoded + "." + hmac.new(KEY, data, hashlib.sha256).hexdigest()


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "garbage",
        "abc.def",
        "a.b." + "0" * 64,
        "ab+/." + "0" * 64,
        "eyJ9." + "A" * 64,
        "a" * 4097,
        token() + "0",
        None,
        12,
        _signed_raw(b"not json"),
        _signed_raw(b"\xff\xfe"),
        _signed_raw(b"[1,2]"),
        _signed_raw(b'{"r": NaN}'),
    ],
)
def test_a_malformed_token_is_refused_plainly(bad):
    with pytest.raises(BadToken) as e:
        tokens.verify(KEY, bad)
    assert str(e.value) in (UNREADABLE, MISMATCH)
    if not isinstance(bad, str) or "." not in bad or len(bad) > 4096:
        assert str(e.value) == UNREADABLE


def test_an_over_long_token_is_refused_before_decoding():
    long = tokens.sign(KEY, {"x": "y" * 4000})
    assert len(long) > tokens.MAX_TOKEN_LENGTH
    with pytest.raises(BadToken, match="cannot be read"):
        tokens.verify(KEY, long)


def test_pairs_digest_is_sha256_of_the_canonical_list_in_order():
    pairs = [("Acme IT", "Quality"), ("Béta", "Risk")]
    expected = hashlib.sha256('[["Acme IT","Quality"],["Béta","Risk"]]'.encode()).hexdigest()
    assert tokens.pairs_digest(pairs) == expected
    assert tokens.pairs_digest(list(reversed(pairs))) != expected


def test_derive_key_is_an_hmac_of_the_project_salt():
    expected = hmac.new(KEY, b"vendor-eval score sheet\x00salt-1", hashlib.sha256).digest()
    assert tokens.derive_key(KEY, "salt-1") == expected
    assert tokens.derive_key(KEY, "salt-2") != expected


def test_the_server_key_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(tokens.ENV_KEY, "s" * 32 + "\n")
    assert tokens.server_key(None) == b"s" * 32
    assert tokens.server_key(str(tmp_path / "db.sqlite3")) == b"s" * 32
    assert not (tmp_path / "db.sqlite3.key").exists()
    monkeypatch.setenv(tokens.ENV_KEY, "s" * 31)
    with pytest.raises(VendorEvalError) as e:
        tokens.server_key(None)
    assert str(e.value) == "VENDOR_EVAL_SECRET_KEY must be at least 32 characters"


@pytest.mark.parametrize("path", [None, "", ":memory:"])
def test_without_the_environment_a_non_sqlite_database_has_no_key(monkeypatch, path):
    monkeypatch.delenv(tokens.ENV_KEY, raising=False)
    with pytest.raises(VendorEvalError) as e:
        tokens.server_key(path)
    assert str(e.value) == (
        "score sheets need a secret key: set VENDOR_EVAL_SECRET_KEY (at least 32 characters) "
        "for this database"
    )


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_a_key_file_is_made_private_beside_the_database_and_reused(monkeypatch, tmp_path):
    monkeypatch.delenv(tokens.ENV_KEY, raising=False)
    db = tmp_path / "vendor_eval.sqlite3"
    key = tokens.server_key(str(db))
    path = tmp_path / "vendor_eval.sqlite3.key"
    assert len(key) == 32 and path.read_bytes() == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert tokens.server_key(str(db)) == key
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vendor_eval.sqlite3.key"]
    assert tokens.server_key(str(tmp_path / "other.sqlite3")) != key


def test_a_key_file_made_by_another_process_first_is_kept(tmp_path):
    path = tmp_path / "db.sqlite3.key"
    first = tokens.key_file(path)
    tokens._make_key(path)  # a second process that found no file a moment before
    assert path.read_bytes() == first == tokens.key_file(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db.sqlite3.key"]


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_an_unsafe_key_file_is_refused(monkeypatch, tmp_path):
    monkeypatch.delenv(tokens.ENV_KEY, raising=False)
    db = str(tmp_path / "db.sqlite3")
    path = tmp_path / "db.sqlite3.key"
    path.write_bytes(b"x" * 32)
    path.chmod(0o640)
    with pytest.raises(VendorEvalError) as e:
        tokens.server_key(db)
    assert str(e.value) == (
        f"the score-sheet key file {path} can be read or changed by other users (mode 0640): "
        f"make it private with chmod 600 {path}"
    )
    path.chmod(0o600)
    path.write_bytes(b"x" * 10)
    with pytest.raises(VendorEvalError, match=r"is damaged \(shorter than 32 bytes\)"):
        tokens.server_key(db)
    path.unlink()
    (tmp_path / "elsewhere").write_bytes(b"x" * 32)
    path.symlink_to(tmp_path / "elsewhere")
    with pytest.raises(VendorEvalError, match=r"is not a regular file \(it is a link\)"):
        tokens.server_key(db)
    path.unlink()
    path.mkdir()
    with pytest.raises(VendorEvalError, match=r"key file .* (is not a regular file|could not)"):
        tokens.server_key(db)


# -- the sheet written --------------------------------------------------------------------


def test_the_sheet_has_scores_first_then_the_guide_and_a_hidden_token():
    wb = load_workbook(io.BytesIO(sheet_bytes(filled())))
    assert wb.sheetnames == ["Scores", "Criteria guide", "Token"]
    assert wb.active is not None and wb.active.title == "Scores"
    ws = wb["Scores"]
    assert [c.value for c in ws[1]] == ["Vendor", "Criterion", "Score", "Comment"]
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:D5"
    assert [[c.value for c in row] for row in ws.iter_rows(min_row=2)] == [
        ["Acme IT", "Quality", 4, "solid references"],
        ["Acme IT", "Risk", 0.25, None],
        ["=1+1", "Quality", 5, "=best of all"],
        ["Beta", "Risk", 0.5, None],
    ]
    assert ws.column_dimensions["D"].width == 60
    hidden = wb["Token"]
    assert hidden.sheet_state == "hidden"
    assert hidden["A1"].value == token() and hidden["A2"].value == TOKEN_NOTE


def test_user_text_that_looks_like_a_formula_stays_text():
    wb = load_workbook(io.BytesIO(sheet_bytes(filled())))
    for cell in (wb["Scores"]["A4"], wb["Scores"]["D4"]):
        assert cell.data_type == "s" and cell.quotePrefix
    assert wb["Scores"]["A2"].data_type == "s" and not wb["Scores"]["A2"].quotePrefix
    guide_ws = wb["Criteria guide"]
    risk = next(r for r in guide_ws.iter_rows() if r[0].value == "Risk")
    assert risk[4].value == "=risk of failure" and risk[4].data_type == "s"


def test_each_score_cell_has_a_drop_down_of_points_or_a_decimal_check():
    wb = load_workbook(io.BytesIO(sheet_bytes(filled())))
    checks = wb["Scores"].data_validations.dataValidation
    by_type = {dv.type: dv for dv in checks}
    assert sorted(by_type) == ["decimal", "list"]
    points = by_type["list"]
    assert points.formula1 == '"1,2,3,4,5"'
    assert str(points.sqref) == "C2 C4"
    assert points.showErrorMessage and points.errorStyle == "stop"
    assert points.error == "Choose one of 1, 2, 3, 4, 5: the scale 1–5 of 'Quality'."
    decimal = by_type["decimal"]
    assert (decimal.operator, decimal.formula1, decimal.formula2) == ("between", "0", "2.5")
    assert str(decimal.sqref) == "C3 C5"


def test_a_scale_without_points_gets_a_decimal_check_and_many_points_a_whole_check():
    fine = GuideRow("Fine", "T", 0, 0.5, None, "")
    wide = GuideRow("Pct", "T", 0, 100, list(range(101)), "")
    rows = [SheetRowIn("A", "Fine", None, ""), SheetRowIn("A", "Pct", None, "")]
    wb = load_workbook(io.BytesIO(sheet_bytes(rows, [fine, wide])))
    got = {
        str(dv.sqref): (dv.type, dv.operator, dv.formula1, dv.formula2, dv.error)
        for dv in wb["Scores"].data_validations.dataValidation
    }
    assert got == {
        "C2": (
            "decimal",
            "between",
            "0",
            "0.5",
            "Type a number from 0 to 0.5: the scale of 'Fine'.",
        ),
        "C3": (
            "whole",
            "between",
            "0",
            "100",
            "Type a whole number from 0 to 100: the scale of 'Pct'.",
        ),
    }


def test_the_guide_names_project_evaluator_and_what_to_do():
    wb = load_workbook(io.BytesIO(sheet_bytes()))
    values = [[c.value for c in row] for row in wb["Criteria guide"].iter_rows()]
    assert values[0][0] == "Score sheet"
    assert values[1][:2] == ["Project", "Tender"]
    assert values[2][:2] == ["Evaluator", "eva@example.org"]
    assert values[3][:2] == ["Sheet version", "3"]
    assert values[4][:2] == ["Made at (UTC)", "2026-12-02 09:30:00"]
    assert values[6][0] == INSTRUCTIONS
    assert "do not change the Vendor or Criterion cells" in INSTRUCTIONS
    assert values[8] == ["Criterion", "Category", "Scale", "Points", "Guide"]
    assert values[9] == ["Quality", "Technical", "1–5", "1, 2, 3, 4, 5", "How good the work is"]
    assert values[10][:4] == ["Risk", "Technical", "0–2.5", "any number from 0 to 2.5"]


def test_a_row_whose_criterion_has_no_guide_row_is_a_programming_error():
    with pytest.raises(ValueError, match="no guide row for criterion 'Price'"):
        sheet_bytes([SheetRowIn("A", "Price", None, "")])


# -- the sheet read back ------------------------------------------------------------------


def test_a_filled_sheet_reads_back_and_checks_clean():
    sheet = read_scoresheet(sheet_bytes(filled()), "eva.xlsx")
    assert sheet == SheetFile(
        file_name="eva.xlsx",
        token=token(),
        rows=[
            SheetRow(2, "Acme IT", "Quality", 4, "solid references"),
            SheetRow(3, "Acme IT", "Risk", 0.25, ""),
            SheetRow(4, "=1+1", "Quality", 5, "=best of all"),
            SheetRow(5, "Beta", "Risk", 0.5, ""),
        ],
    )
    assert tokens.verify(KEY, sheet.token or "")["r"] == 3
    scores, problems = check_rows(sheet, PAIRS, CRITERIA)
    assert problems == []
    assert scores == [
        ("Acme IT", "Quality", 4.0, "solid references"),
        ("Acme IT", "Risk", 0.25, ""),
        ("=1+1", "Quality", 5.0, "=best of all"),
        ("Beta", "Risk", 0.5, ""),
    ]


def test_sorted_rows_and_blank_rows_still_match():
    def change(wb: Workbook) -> None:
        ws = wb["Scores"]
        ws.insert_rows(3)  # a blank row
        ws.move_range("A2:D2", rows=5)  # the first row to the end (row 7)

    sheet = read_scoresheet(edited(sheet_bytes(filled()), change), "eva.xlsx")
    assert [r.row for r in sheet.rows] == [4, 5, 6, 7]
    scores, problems = check_rows(sheet, PAIRS, CRITERIA)
    assert problems == []
    assert [s[:2] for s in scores] == PAIRS


def test_every_problem_is_listed_naming_its_cell():
    def change(wb: Workbook) -> None:
        ws = wb["Scores"]
        ws["A2"], ws["C2"], ws["D2"] = "Acme", 3, ""  # vendor edited
        ws["C3"] = 6  # Acme IT / Risk: off the scale 0–2.5
        ws["C4"], ws["D4"] = 1, None  # =1+1 / Quality: lowest score, no comment
        ws["C5"] = "good"  # Beta / Risk
        ws.append(["Gamma", "Quality", 3, ""])  # row 6: not issued
        ws.append(["Beta", "Risk", 1, "again"])  # row 7: a second row for a pair

    sheet = read_scoresheet(edited(sheet_bytes(filled()), change), "eva.xlsx")
    scores, problems = check_rows(sheet, PAIRS, CRITERIA)
    assert problems == [
        "eva.xlsx: Scores!A2: the Vendor cell was changed (the sheet said 'Acme IT', it now "
        "says 'Acme')",
        "eva.xlsx: Scores!C3 (Acme IT, Risk): 6 is outside the scale 0–2.5 of 'Risk'",
        "eva.xlsx: Scores!D4 (=1+1, Quality): a comment is required for the lowest and "
        "highest score (1)",
        'eva.xlsx: Scores!C5 (Beta, Risk): "good" is not a number',
        "eva.xlsx: Scores!A6: a row that is not on the sheet that was issued",
        "eva.xlsx: Scores!A7: a second row for 'Beta' / 'Risk' (the first is row 5)",
    ]
    # A score whose row or cell is wrong is not taken; the comment-less 1 is (the problem
    # list refuses the sheet anyway).
    assert scores == [("=1+1", "Quality", 1.0, "")]


def test_a_missing_score_and_a_changed_criterion_are_named():
    def change(wb: Workbook) -> None:
        ws = wb["Scores"]
        ws["B3"] = "Risks "
        ws["C4"] = None

    sheet = read_scoresheet(edited(sheet_bytes(filled()), change), "eva.xlsx")
    _scores, problems = check_rows(sheet, PAIRS, CRITERIA)
    assert problems == [
        "eva.xlsx: Scores!B3: the Criterion cell was changed (the sheet said 'Risk', it now "
        "says 'Risks')",
        "eva.xlsx: Scores!C4 (=1+1, Quality): no score",
    ]


def test_a_deleted_row_is_missing():
    sheet = read_scoresheet(
        edited(sheet_bytes(filled()), lambda wb: wb["Scores"].delete_rows(3)), "e.xlsx"
    )
    assert check_rows(sheet, PAIRS, CRITERIA)[1] == [
        "e.xlsx: Scores: the row for 'Acme IT' / 'Risk' is missing"
    ]


def test_check_rows_needs_every_criterion():
    sheet = SheetFile("e.xlsx", None, [])
    with pytest.raises(ValueError, match="no criterion 'Price'"):
        check_rows(sheet, [("A", "Price")], CRITERIA)


def test_sheet_and_header_names_match_ignoring_case_and_spaces():
    data = plain_book(
        {
            " scores ": [
                [" VENDOR", "criterion ", "Score", "comment"],
                ["Acme IT", "Quality", 4, ""],
            ],
            "token": [[" " + token([("Acme IT", "Quality")]) + " "]],
        }
    )
    sheet = read_scoresheet(data, "e.xlsx")
    assert sheet.sheet == " scores "
    assert sheet.token == token([("Acme IT", "Quality")])
    assert sheet.rows == [SheetRow(2, "Acme IT", "Quality", 4, "")]
    assert check_rows(sheet, [("Acme IT", "Quality")], CRITERIA) == (
        [("Acme IT", "Quality", 4.0, "")],
        [],
    )


def test_columns_are_found_by_their_headers_wherever_they_are():
    data = plain_book(
        {
            "Scores": [["Comment", "Score", "Vendor", "Criterion"], ["", 9, "Acme IT", "Quality"]],
            "Token": [["t"]],
        }
    )
    sheet = read_scoresheet(data, "e.xlsx")
    assert sheet.columns == ("C", "D", "B", "A")
    assert check_rows(sheet, [("Acme IT", "Quality")], CRITERIA)[1] == [
        "e.xlsx: Scores!B2 (Acme IT, Quality): 9 is outside the scale 1–5 of 'Quality'"
    ]


HEADER_ROW = ["Vendor", "Criterion", "Score", "Comment"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "e.xlsx is empty (0 bytes)"),
        (
            b"Vendor,Score\nAcme,1\n",
            "e.xlsx is not an Excel workbook: return the .xlsx sheet vendor-eval made",
        ),
        (
            plain_book({"Sheet1": [HEADER_ROW]}),
            f"e.xlsx has no Scores sheet (sheets: 'Sheet1'): {AGAIN}",
        ),
        (
            plain_book({"Scores": [HEADER_ROW], "SCORES ": [HEADER_ROW]}),
            "e.xlsx has 2 Scores sheets ('Scores', 'SCORES '): keep one",
        ),
        (
            plain_book({"Scores": [["Vendor", "Criterion", "Comment"]]}),
            "e.xlsx: Scores: row 1 has no 'Score' header (headers found: 'Vendor', "
            f"'Criterion', 'Comment'): {AGAIN}",
        ),
        (
            plain_book({"Scores": [[None, "Criterion"]]}),
            "e.xlsx: Scores: row 1 has no 'Vendor', 'Score', 'Comment' headers (headers found: "
            f"'Criterion'): {AGAIN}",
        ),
        (
            plain_book({"Scores": []}),
            "e.xlsx: Scores: row 1 has no 'Vendor', 'Criterion', 'Score', 'Comment' headers "
            f"(headers found: none): {AGAIN}",
        ),
        (
            plain_book({"Scores": [[*HEADER_ROW, "score"]]}),
            "e.xlsx: Scores has two 'Score' columns (C and E): keep one",
        ),
        (
            plain_book({"Scores": [HEADER_ROW]}),
            f"e.xlsx has no signature (Token sheet): {AGAIN}",
        ),
        (
            plain_book({"Scores": [HEADER_ROW], "Token": [[None, "x"]]}),
            f"e.xlsx has no signature (Token sheet): {AGAIN}",
        ),
        (
            plain_book({"Scores": [HEADER_ROW], "Token": [["   "]]}),
            f"e.xlsx has no signature (Token sheet): {AGAIN}",
        ),
    ],
)
def test_a_file_that_is_not_a_score_sheet_is_refused_plainly(data, message):
    with pytest.raises(SheetRefused) as e:
        read_scoresheet(data, "e.xlsx")
    assert str(e.value) == message


def test_a_damaged_file_is_refused_naming_it():
    with pytest.raises(SheetRefused, match=r"^e\.xlsx is damaged"):
        read_scoresheet(b"PK\x03\x04garbage", "e.xlsx")


def test_a_sheet_without_a_token_can_be_read_when_asked():
    sheet = read_scoresheet(plain_book({"Scores": [HEADER_ROW]}), "e.xlsx", require_token=False)
    assert sheet.token is None and sheet.rows == []


def test_a_hidden_token_sheet_is_read():
    data = sheet_bytes()
    assert load_workbook(io.BytesIO(data))["Token"].sheet_state == "hidden"
    assert read_scoresheet(data, "e.xlsx").token == token()
