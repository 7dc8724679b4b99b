"""The dashboard's column mapping, driven through AppTest: a Vendors-only workbook with the
user's own column names reaches the ranking of the workbook with the equivalent Criteria
sheet; the mapping downloads as a criteria file and is the export's Criteria sheet.

Expected rankings come from the importer and scorer on workbooks written here with the
Criteria and Categories sheets the mapping stands for, so the tests check that the table
means what it says.
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from conftest import ROOT, xlsx
from streamlit.testing.v1 import AppTest
from test_app import XLSX, assert_shows, seen, shown_ranking, start
from test_markdown_injection import HOSTILE, live_constructs, markdown_sources

from vendor_eval.scoring.scorer import score
from vendor_eval.ui.analysis import build_export_download
from vendor_eval.ui.mapping import mapping_workbook
from vendor_eval.workbook.importing.load import load_evaluation

VENDORS = [
    ["Vendor", "Price per hour", "Support hours", "Years active", "ISO certified", "Rating",
     "Website"],
    ["Acme", 95, 24, 12, "yes", 4, "acme.example"],
    ["Globex", 80, 12, 5, "no", 3, "globex.example"],
    ["Initech", 70, 8, 20, "yes", 5, None],
    ["Umbrella", 110, 16, 30, "yes", 2, None],
]  # fmt: skip
SHORTLIST = xlsx({"Vendors": VENDORS})
CRITERIA_HEAD = ["Criterion", "Category", "Weight", "Direction", "Scale", "Formula", "Min",
                 "Max"]  # fmt: skip
#: What the guesses stand for: the default model's price under its header, and the three
#: columns the guesses tick (Support hours is offered unticked).
GUESSED = [
    ["Price per hour", "Cost", 100, "lower", "price", "ratio", None, None],
    ["Years active", "Experience", 100, "higher", "relative", None, None, None],
    ["ISO certified", "Capability", 100, "higher", "yes/no", None, None, None],
    ["Rating", "Other", 100, "higher", "absolute", None, 1, 5],
]
CATEGORIES = [["Category", "Weight"], ["Cost", 15], ["Experience", 15], ["Capability", 25],
              ["Other", 15]]  # fmt: skip
COLUMNS = ["Support hours", "Years active", "ISO certified", "Rating"]  # the table's rows


def twin(criteria: list[list[object]]) -> bytes:
    """The shortlist with the Criteria (and Categories) sheets a mapping stands for."""
    return xlsx({"Vendors": VENDORS, "Criteria": [CRITERIA_HEAD, *criteria],
                 "Categories": CATEGORIES})  # fmt: skip


@pytest.fixture(autouse=True)
def _repo_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def uploaded(data: bytes, name: str = "shortlist.xlsx") -> AppTest:
    at = start()
    at.file_uploader(key="upload").set_value((name, data, XLSX))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def editor_key(at: AppTest) -> str:
    (key,) = [d.key for d in at.dataframe if d.key and d.key.startswith("mapping_")]
    return key


def mapping_table(at: AppTest):
    return next(d.value for d in at.dataframe if d.key == editor_key(at))


def edit(at: AppTest, edits: dict[int, dict[str, object]]) -> None:
    """Change cells of the mapping table (row index → column → value), as a user would."""
    at.session_state[editor_key(at)] = {"edited_rows": edits, "added_rows": [],
                                        "deleted_rows": []}  # fmt: skip
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def test_the_guesses_rank_as_the_equivalent_criteria_sheet():
    at = uploaded(SHORTLIST)
    assert not at.error
    table = mapping_table(at)
    assert list(table["Column"]) == COLUMNS
    assert list(table["Include"]) == [False, True, True, True]
    assert list(table["Category"]) == ["Other", "Experience", "Capability", "Other"]
    assert list(table["Holds"]) == ["numbers 8 to 24", "numbers 5 to 30", "yes/no",
                                    "numbers 2 to 5"]  # fmt: skip
    assert any("nothing is scored until it is included" in c.value for c in at.caption)
    expected = score(load_evaluation(twin(GUESSED), name="twin.xlsx"))
    assert_shows(at, expected)
    # the one column left out is still said to be not scored, above the ranking
    (note,) = [w.value for w in at.warning if "not scored" in w.value]
    assert "Support hours" in seen(note) and "Rating" not in seen(note)


def test_a_changed_row_changes_the_ranking_as_the_criteria_sheet_would():
    at = uploaded(SHORTLIST)
    gen = at.session_state["ve_gen"]
    edit(at, {0: {"Include": True, "Weight": 300.0}, 3: {"Direction": "lower"}})
    changed = [
        *GUESSED[:3],
        ["Rating", "Other", 100, "lower", "absolute", None, 1, 5],
        ["Support hours", "Other", 300, "higher", "relative", None, None, None],
    ]
    expected = score(load_evaluation(twin(changed), name="twin.xlsx"))
    assert expected.leader != score(load_evaluation(twin(GUESSED))).leader  # it does change
    assert_shows(at, expected)
    assert at.session_state["ve_gen"] == gen + 1  # the weights panel starts from the mapping
    assert not [w for w in at.warning if "not scored" in w.value]
    # a rerun keeps the mapping as edited
    at.run()
    assert_shows(at, expected)


def test_the_downloaded_mapping_is_a_criteria_file_giving_the_same_ranking(tmp_path):
    at = uploaded(SHORTLIST)
    edit(at, {3: {"Weight": 250.0}})
    buttons = [b for b in at.get("download_button") if "mapping" in b.proto.label]
    assert [b.proto.label for b in buttons] == ["Download the mapping as a Criteria sheet (.xlsx)"]
    mapped = at.session_state["ve_mapped"][2]
    data = mapping_workbook(mapped.criteria, mapped.categories)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Criteria", "Categories"]
    names = [r[0] for r in wb["Criteria"].iter_rows(min_row=2, values_only=True)]
    assert names == ["Price per hour", "Years active", "ISO certified", "Rating"]
    # as `--criteria FILE` (load_evaluation's criteria=) on the untouched shortlist
    shortlist = tmp_path / "shortlist.xlsx"
    shortlist.write_bytes(SHORTLIST)
    criteria = tmp_path / "shortlist_criteria.xlsx"
    criteria.write_bytes(data)
    assert_shows(at, score(load_evaluation(shortlist, criteria=criteria)))


def test_the_export_holds_the_mapping_and_reimports_without_it():
    at = uploaded(SHORTLIST)
    edit(at, {0: {"Include": True}})
    ranking = at.session_state["ve_ranking"]
    data = build_export_download(ranking)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    names = [r[0] for r in wb["Criteria"].iter_rows(min_row=2, values_only=True)]
    assert names == ["Price per hour", "Support hours", "Years active", "ISO certified", "Rating"]
    audit = {r[0]: r[1] for r in wb["Audit"].iter_rows(values_only=True) if r and r[0]}
    assert audit["Criteria from"] == "the dashboard's column mapping"
    again = load_evaluation(data, name="export.xlsx")
    assert not again.default_model and again.unscored_columns == []
    assert_shows(at, score(again))


def test_a_refused_mapping_names_the_cell_and_keeps_the_last_ranking():
    rows = [list(r) for r in VENDORS]
    rows[2][4] = "n/a"  # Globex's ISO certified: unknown, written as a word
    at = uploaded(xlsx({"Vendors": rows}))
    table = mapping_table(at)
    assert not table["Include"][2]  # offered unticked: a cell does not read as yes/no
    assert "first Vendors!E3" in table["Guess"][2]
    before, gen = shown_ranking(at), at.session_state["ve_gen"]
    edit(at, {2: {"Include": True}})
    (error,) = at.error
    assert "This mapping cannot be used" in error.value
    assert 'Vendors!E3 (ISO certified): "n/a" is not yes or no' in seen(error.value)
    assert "last mapping that could be used" in error.value
    assert shown_ranking(at).equals(before)
    assert at.session_state["ve_gen"] == gen  # the weights panel keeps its edits too
    assert not at.exception
    # a cleared category names the table's row
    edit(at, {2: {"Include": False}, 1: {"Category": None}})
    (error,) = at.error
    assert "Column mapping (Years active, Category): category is missing" in seen(error.value)


def test_a_refused_first_mapping_ranks_the_file_as_loaded():
    rows = [list(r) for r in VENDORS]
    rows[2][3] = "five"  # Globex's Years active: offered unticked, the cell is no number
    at = uploaded(xlsx({"Vendors": rows}))
    assert not at.error and not mapping_table(at)["Include"][1]
    edit(at, {i: {"Include": False} for i in range(4)})  # no mapping has been valid yet
    edit(at, {i: {"Include": i == 1} for i in range(4)})
    (error,) = at.error
    assert "file as loaded, without this table's columns" in error.value
    assert 'Vendors!D3 (Years active): "five" is not a number' in seen(error.value)
    assert_shows(at, score(load_evaluation(xlsx({"Vendors": rows}), name="shortlist.xlsx")))


def test_nothing_included_ranks_the_file_as_loaded():
    at = uploaded(SHORTLIST)
    edit(at, {i: {"Include": False} for i in range(4)})
    assert any("nothing of this table is scored" in i.value for i in at.info)
    assert_shows(at, score(load_evaluation(SHORTLIST, name="shortlist.xlsx")))
    assert not [b for b in at.get("download_button") if "mapping" in b.proto.label]


def test_a_file_with_no_known_column_is_ranked_through_the_mapping():
    rows = [["Vendor", "Day rate", "Years active", "ISO certified"], ["Acme", 900, 12, "yes"],
            ["Globex", 700, 5, "no"], ["Initech", 800, 9, "yes"]]  # fmt: skip
    at = uploaded(xlsx({"Vendors": rows}), "own.xlsx")
    assert not at.error
    assert any("No column of" in i.value and "own" in i.value for i in at.info)
    criteria = [
        ["Day rate", "Cost", 10, "lower", "price", "ratio", None, None],
        ["Years active", "Experience", 10, "higher", "relative", None, None, None],
        ["ISO certified", "Capability", 10, "higher", "yes/no", None, None, None],
    ]
    categories = [["Category", "Weight"], ["Cost", 15], ["Experience", 15], ["Capability", 25]]
    expected = xlsx({"Vendors": rows, "Criteria": [CRITERIA_HEAD, *criteria],
                     "Categories": categories})  # fmt: skip
    assert_shows(at, score(load_evaluation(expected)))
    # untick all: nothing is ranked, and the page says why instead of failing
    edit(at, {i: {"Include": False} for i in range(3)})
    assert not at.metric and not at.error
    assert any("nothing of this table is scored" in i.value for i in at.info)


def test_the_sample_and_a_workbook_with_criteria_get_no_mapping():
    at = start()
    assert not [d for d in at.dataframe if d.key and d.key.startswith("mapping_")]
    at.file_uploader(key="upload").set_value(("twin.xlsx", twin(GUESSED), XLSX))
    at.run()
    assert not [d for d in at.dataframe if d.key and d.key.startswith("mapping_")]
    assert at.session_state["ve_upload"] is None


HOSTILE_HEADERS = [f"H {h}" for h in HOSTILE[:6]] + ['=HYPERLINK("http://attacker.invalid")']


def as_text_cells(rows: list[list[object]]) -> bytes:
    """``rows`` as a Vendors sheet whose text cells are all string cells (a header typed
    as ``'=HYPERLINK(…)`` in Excel is text, not a formula)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Vendors"
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_hostile_column_names_are_shown_and_written_as_text():
    rows = [["Vendor", "Blended hourly rate", *HOSTILE_HEADERS],
            *([v, 50 + 10 * i, *[(i * 3 + j) % 7 + 1 for j in range(len(HOSTILE_HEADERS))]]
              for i, v in enumerate(["Acme", "Globex", "Initech"]))]  # fmt: skip
    at = uploaded(as_text_cells(rows), "hostile.xlsx")
    table = mapping_table(at)
    assert list(table["Column"]) == HOSTILE_HEADERS  # table cells: plain text, as written
    edit(at, {i: {"Include": True} for i in range(len(HOSTILE_HEADERS))})
    assert not at.error
    mapped = at.session_state["ve_mapped"][2]
    assert mapped.criterion_names == ["Blended hourly rate", *HOSTILE_HEADERS]
    for source in markdown_sources(at):
        assert not live_constructs(source), source
    # the download writes every name as a string cell, never a formula
    data = mapping_workbook(mapped.criteria, mapped.categories)
    ws = openpyxl.load_workbook(io.BytesIO(data))["Criteria"]
    formula = next(c for c in ws["A"] if c.value == HOSTILE_HEADERS[-1])
    assert formula.data_type == "s" and formula.quotePrefix
    again = load_evaluation(as_text_cells(rows), criteria=data)
    assert again.criterion_names == mapped.criterion_names
    # a refused row quotes its hostile name in the error: as text too
    edit(at, {0: {"Category": None}})
    (error,) = at.error
    assert f"Column mapping ({HOSTILE_HEADERS[0]}, Category)" in seen(error.value)
    for source in markdown_sources(at):
        assert not live_constructs(source), source


# -- several files at once -------------------------------------------------------------------
RESPONSE_HEAD = ["Vendor", "Years in business", "Rating", "ISO 27001", "Day rate"]
RESPONSES = [
    ["Acme IT", 12, 4, "yes", 900],
    ["Bolt Services", 5, 3, "no", 700],
    ["Crane Ltd", 20, 5, "yes", 1100],
    ["Dyna Corp", 8, 2, "yes", 650],
]
RESPONSE_CRITERIA = [
    CRITERIA_HEAD,
    ["Years in business", "Reputation", 2, "higher", "relative", None, None, None],
    ["Rating", "Reputation", 3, "higher", "absolute", None, 1, 5],
    ["ISO 27001", "Capability", 1, "higher", "yes/no", None, None, None],
    ["Day rate", "Cost", 1, "lower", "price", "ratio", None, None],
]
RESPONSE_CATEGORIES = [["Category", "Weight"], ["Reputation", 40], ["Capability", 30],
                       ["Cost", 30]]  # fmt: skip


def response_files() -> list[tuple[str, bytes, str]]:
    """Four single-vendor files and the criteria file, as the uploader gets them."""
    files = [
        (f"{row[0].split()[0].lower()}.xlsx", xlsx({"Vendors": [RESPONSE_HEAD, row]}), XLSX)
        for row in RESPONSES
    ]
    model = xlsx({"Criteria": RESPONSE_CRITERIA, "Categories": RESPONSE_CATEGORIES})
    return [*files, ("criteria.xlsx", model, XLSX)]


def combined_twin() -> bytes:
    """The one ordinary workbook holding the same data."""
    return xlsx({"Vendors": [RESPONSE_HEAD, *RESPONSES], "Criteria": RESPONSE_CRITERIA,
                 "Categories": RESPONSE_CATEGORIES})  # fmt: skip


def test_several_files_are_combined_into_one_ranking():
    at = start()
    at.file_uploader(key="upload").set_value(response_files())
    at.run()
    assert not at.exception and not at.error
    assert_shows(at, score(load_evaluation(combined_twin(), name="twin.xlsx")))
    assert at.session_state["ve_source"] == "combined (5 files)"
    assert at.session_state["ve_upload"] is None  # no column mapping for combined files
    # back to one file: exactly as a single upload
    at.file_uploader(key="upload").set_value(("twin.xlsx", combined_twin(), XLSX))
    at.run()
    assert_shows(at, score(load_evaluation(combined_twin(), name="twin.xlsx")))
    assert at.session_state["ve_source"] == "twin.xlsx"


def test_conflicting_files_list_every_problem_with_its_file():
    files = response_files()
    again = [*RESPONSES[0][:-1], 950]  # Acme again (not the same bytes: that is a file twice)
    files[1] = ("bolt.xlsx", xlsx({"Vendors": [RESPONSE_HEAD, again]}), XLSX)
    at = start()
    at.file_uploader(key="upload").set_value(files)
    at.run()
    assert not at.exception
    (error,) = at.error
    assert "combined \\(5 files\\)" in error.value and "was not loaded" in error.value
    problems = next(d.value for d in at.dataframe if "message" in d.value.columns)
    assert list(problems.columns) == ["file", "sheet", "cell", "column", "message"]
    assert list(problems["file"]) == ["bolt.xlsx"]
    assert list(problems["cell"]) == ["A2"]
    assert 'vendor "Acme IT" is also in acme.xlsx' in problems["message"][0]
    assert not at.metric


def test_one_uploaded_questionnaire_is_read_as_one_vendors_response_file():
    form = [
        ["Supplier questionnaire 2026"],
        ["Supplier name:", "Acme IT"],
        ["Question", "Answer"],
        ["Years in business", 12],
        ["Client rating", 4],
    ]
    at = start()
    at.file_uploader(key="upload").set_value(("acme.xlsx", xlsx({"Response": form}), XLSX))
    at.run()
    assert not at.exception and not at.error
    head = ["Vendor", "Years in business", "Client rating"]
    table = xlsx({"Vendors": [head, ["Acme IT", 12, 4]]})
    assert_shows(at, score(load_evaluation(table, name="acme.xlsx")))
    assert at.session_state["ve_source"] == "acme.xlsx"
    assert at.session_state["ve_upload"] is None  # no column mapping for a questionnaire
