"""Builders for importer tests: a valid base workbook as plain lists, edited cell by cell."""

from __future__ import annotations

import copy
import re

from vendor_eval.core.problems import Problem
from vendor_eval.workbook.reading.rawbook import RawBook, RawSheet

BASE: dict[str, list[list[object]]] = {
    "Vendors": [
        ["Vendor", "Years in business", "Rating", "ISO", "Price", "Website"],
        ["Acme", 12, 4, "yes", 1200, "acme.example"],
        ["Bolt", "5", "3", "no", "950", None],
        ["Crane", 20, 5, True, "$1,500", "crane.example"],
    ],
    "Criteria": [
        ["Criterion", "Category", "Weight", "Direction", "Scale", "Min", "Max", "Must"],
        ["Years in business", "Reputation", 2, None, None, None, None, ">= 3"],
        ["Rating", "Reputation", 3, None, "absolute", 1, 5, None],
        ["ISO", "Capability", 1, None, "yes/no", None, None, "yes"],
        ["Price", "Cost", 1, "lower", None, None, None, "<= 2,000"],
    ],
    "Categories": [
        ["Category", "Weight"],
        ["Reputation", 50],
        ["Capability", 30],
        ["Cost", 20],
    ],
}


def sheets(**changes: list[list[object]] | None) -> dict[str, list[list[object]]]:
    """A deep copy of BASE with whole sheets replaced (``None`` removes a sheet)."""
    out = copy.deepcopy(BASE)
    for name, rows in changes.items():
        if rows is None:
            out.pop(name, None)
        else:
            out[name] = rows
    return out


def ref(cell: str) -> tuple[int, int]:
    """``"B3"`` → (row index 2, column index 1)."""
    m = re.fullmatch(r"([A-Z]+)(\d+)", cell)
    assert m
    col = 0
    for ch in m[1]:
        col = col * 26 + ord(ch) - 64
    return int(m[2]) - 1, col - 1


def put(book: dict[str, list[list[object]]], sheet: str, cell: str, value: object) -> None:
    """Set one cell, growing the sheet as needed."""
    r, c = ref(cell)
    rows = book.setdefault(sheet, [])
    while len(rows) <= r:
        rows.append([])
    row = rows[r]
    while len(row) <= c:
        row.append(None)
    row[c] = value


def edited(*edits: tuple[str, str, object], **changes) -> dict[str, list[list[object]]]:
    book = sheets(**changes)
    for sheet, cell, value in edits:
        put(book, sheet, cell, value)
    return book


def raw_book(
    book: dict[str, list[list[object]]], name: str = "vendors.xlsx", kind: str = "xlsx"
) -> RawBook:
    return RawBook(
        name, "0" * 64, kind, [RawSheet(sheet, copy.deepcopy(rows)) for sheet, rows in book.items()]
    )


def where(p: Problem) -> tuple:
    return (p.sheet, p.row, p.column, p.header, p.message)
