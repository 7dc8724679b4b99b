"""The live sheets of the export: Weights, Criterion scores, Contributions and Summary.

The formulas model the weighted sum (docs/scoring.md §2, §6): effective weights are formulas of
the weights as entered on Weights; Summary's score, category scores, completeness and rank
are formulas over Weights, Criterion scores and Data, so editing a weight recomputes the
ranking in Excel or LibreOffice. Normalised scores ``s`` (gates, bounds, missing policy) are
values: changing a raw value in Data does not re-normalise.

Layout (criteria grouped by category, in the same column order on every per-vendor sheet):

* ``Weights``: one row per criterion — weight as entered (editable), category weight, share
  of its category, effective weight and the formula that scores it (``ratio (lowest ÷
  bid)`` for a price); beside it the categories with their weights (and minimums).
* ``Criterion scores``: row 2 the effective weights and row 3 the within-category shares
  (formulas pointing at Weights, laid out across so SUMPRODUCT can use them); one row per
  vendor from row 4 with ``s`` (blank where ``exclude`` leaves a value out).
* ``Contributions``: ``100 · w_i · s_i`` per vendor and criterion, and their total.
* ``Summary``: one row per vendor, best first; ``Disqualified at`` names the stage a
  disqualified vendor fell at (must-have gate or quality minimum, docs/scoring.md §12).

Status (gates and minimums) is the tool's, like ``s``: a vendor the tool disqualified at a
minimum stays unranked in the live rank formula (it keys on Status), and a weight edit that
moves a category score below its minimum is flagged in red, not re-judged.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import DataBarRule, FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill

from vendor_eval.core.model import (
    Category,
    Criterion,
    Direction,
    Evaluation,
    Formula,
    Method,
    MissingPolicy,
    Scale,
    format_number,
)
from vendor_eval.output.excel.book import (
    BOLD,
    HEADER_ALIGN,
    HEADER_FILL,
    HEADER_FONT,
    INPUT_FILL,
    LINE_HEIGHT,
    NOTE_FONT,
    TITLE_FONT,
    WRAP,
    Book,
    Sheet,
    col,
    crit_widths,
    ref,
    text_lines,
)
from vendor_eval.scoring.price import MINIMUM_TOLERANCE
from vendor_eval.scoring.ranking import (
    DISQUALIFIED,
    QUALIFIED,
    Ranking,
    no_data_reason,
    stage_label,
)
from vendor_eval.scoring.ranks import TIE_TOLERANCE, ranks_among

WEIGHTS = "Weights"
CSCORES = "Criterion scores"
CONTRIB = "Contributions"
SUMMARY = "Summary"
DATA = "Data"
CS_FIRST = 4  # first vendor row on Criterion scores (rows 2-3 hold weights and shares)
#: Summary opens with a header block (title, date and method, leader, verdict; rows 1-4),
#: then a blank row, the column headers and one row per vendor.
SUMMARY_HEADER_ROW = 6
SUMMARY_FIRST = SUMMARY_HEADER_ROW + 1  # the first vendor row on Summary
SUMMARY_ONE_PAGE_MAX = 30  # vendors: up to this many, Summary prints on one page
SUMMARY_BLOCK_VENDORS = 30  # vendors whose strengths and weaknesses print under the table
STRENGTHS_TITLE = "Strengths and weaknesses"
INDENTED = Alignment(wrap_text=True, vertical="top", indent=1)  # a gap after the Strengths
CHART_VENDORS = 30
# The tie tolerance as the rank formula writes it ("1E-9"), from the one value.
_TIE_FORMULA = f"{TIE_TOLERANCE:G}".replace("E-0", "E-")
_MIN_TOLERANCE = f"{MINIMUM_TOLERANCE:G}".replace("E-0", "E-")  # "below" is strictly below
CHART_BELOW_MAX = 60  # vendors: the chart goes under the table up to this many
LEADER_FILL = PatternFill("solid", bgColor="C6EFCE")
GREY_FONT = Font(color="808080", italic=True)
#: Summary's column naming where a disqualified vendor fell, in ``stage_label``'s words.
STAGE_COLUMN = "Disqualified at"
BELOW_MINIMUM_FILL = PatternFill("solid", bgColor="FFC7CE")
BELOW_MINIMUM_FONT = Font(color="9C0006")
#: Where Weights lists the categories: name, weight as entered (editable), share, minimum.
CAT_COLUMN = 9
CAT_NAME, CAT_WEIGHT, CAT_SHARE, CAT_MINIMUM = (col(CAT_COLUMN + k) for k in range(4))


@dataclass
class Layout:
    """Where things are, shared by every formula."""

    ranking: Ranking
    crit: list[Criterion]  # grouped by category
    spans: dict[str, tuple[int, int]]  # category -> first, last index into crit
    vendors: list[str]

    @classmethod
    def of(cls, ranking: Ranking) -> Layout:
        ev = ranking.evaluation
        crit: list[Criterion] = []
        spans: dict[str, tuple[int, int]] = {}
        for cat in ev.category_names:
            members = [c for c in ev.criteria if c.category == cat]
            spans[cat] = (len(crit), len(crit) + len(members) - 1)
            crit.extend(members)
        return cls(ranking, crit, spans, ranking.vendors)

    @property
    def n(self) -> int:
        return len(self.vendors)

    @property
    def m(self) -> int:
        return len(self.crit)

    @property
    def exclude(self) -> bool:
        return self.ranking.missing is MissingPolicy.EXCLUDE

    @property
    def hierarchical(self) -> bool:
        return self.ranking.evaluation.categories is not None

    @staticmethod
    def ccol(j: int) -> str:
        """Column of criterion ``j`` (0-based) on the per-vendor sheets (A is Vendor)."""
        return col(j + 2)

    def crow(self, span: tuple[int, int]) -> str:
        """``B{r}:E{r}`` template for a criterion span (``{r}`` filled by the caller)."""
        return f"{self.ccol(span[0])}{{r}}:{self.ccol(span[1])}{{r}}"

    @property
    def all_span(self) -> tuple[int, int]:
        return (0, self.m - 1)


# -- Weights -------------------------------------------------------------------------------
def write_weights(book: Book, lay: Layout) -> tuple[dict[str, str], dict[str, int]]:
    """The Weights sheet.

    Returns criterion name → its effective-weight cell (``$F$2``), and category name → the
    row of its editable weight (column :data:`CAT_WEIGHT`).
    """
    ev = lay.ranking.evaluation
    hier = lay.hierarchical
    minimums = hier and any(k.minimum is not None for k in ev.categories or [])
    widths: dict[int, float] = {1: 30, 2: 22, 3: 12, 4: 12, 5: 12, 6: 26}
    if hier:  # G the scoring formula, H a gap, I-L the categories
        widths.update({6: 12, 7: 26, 8: 3, 9: 22, 10: 14, 11: 12, 12: 12})
    sh = book.sheet(WEIGHTS, freeze="B2", widths=widths)
    w = lay.ranking.weights
    # columns: A criterion, B category, C entered, [D category weight], share, effective,
    # scoring formula; then (hierarchical) a gap and the categories from column I
    c_share, c_eff = (5, 6) if hier else (4, 5)
    heads = ["Criterion", "Category", "Weight (as entered)"]
    heads += ["Category weight"] if hier else []
    heads += ["Share of its category", "Effective weight", "Scoring formula"]
    cat_rows: dict[str, int] = {}
    cats_listed: list[Category] = []
    if hier:
        used, listed = ev.category_names, ev.categories or []
        cats_listed = [k for k in listed if k.name in used]
        cats_listed += [k for k in listed if k.name not in used]
        cat_rows = {k.name: 2 + i for i, k in enumerate(cats_listed)}
        heads += ["", "Category", "Category weight (as entered)", "Share of total"]
        heads += ["Minimum"] if minimums else []
    sh.header(heads)
    first = {name: 2 + lo for name, (lo, _) in lay.spans.items()}
    last = {name: 2 + hi for name, (_, hi) in lay.spans.items()}
    n_used = len(lay.spans)
    cw = CAT_WEIGHT
    cat_sum = f"SUM(${cw}$2:${cw}${1 + n_used})"
    shares = _within_shares(lay)
    eff_cells: dict[str, str] = {}
    n_rows = max(lay.m, len(cats_listed))
    for i in range(n_rows):
        r = i + 2
        row: list[object] = []
        if i < lay.m:
            c = lay.crit[i]
            a, b = first[c.category], last[c.category]
            within = f"SUM($C${a}:$C${b})"
            row = [sh.text(c.name, f"A{r}"), sh.text(c.category, f"B{r}")]
            row.append(sh.styled(float(c.weight), fill=INPUT_FILL))
            if hier:
                row.append(
                    sh.formula(f"D{r}", f"=${cw}${cat_rows[c.category]}",
                               _cat_weight(ev, c.category))
                )  # fmt: skip
            row.append(
                sh.formula(
                    f"{col(c_share)}{r}",
                    f"=IF({within}=0,1/{b - a + 1},C{r}/{within})",
                    shares[i],
                    number_format="0.0%",
                )
            )
            eff = (
                f"=IF({within}=0,0,D{r}/{cat_sum}*C{r}/{within})"
                if hier
                else f"=C{r}/SUM($C$2:$C${1 + lay.m})"
            )
            row.append(sh.formula(f"{col(c_eff)}{r}", eff, float(w[c.name]),
                                  number_format="0.00%"))  # fmt: skip
            row.append(formula_label(c))
            eff_cells[c.name] = f"${col(c_eff)}${r}"
        if hier and i < len(cats_listed):
            row += [None] * (CAT_COLUMN - 1 - len(row))
            k = cats_listed[i]
            used_k = k.name in lay.spans
            total = sum(float(x.weight) for x in cats_listed[:n_used])
            share = CAT_SHARE
            row += [
                sh.text(k.name, f"{CAT_NAME}{r}"),
                sh.styled(float(k.weight), fill=INPUT_FILL),
                sh.formula(f"{share}{r}", f"=IF({cat_sum}=0,0,{cw}{r}/{cat_sum})" if used_k
                           else "=0", float(k.weight) / total if used_k and total > 0 else 0.0,
                           number_format="0.0%"),
            ]  # fmt: skip
            if minimums:
                row.append(None if k.minimum is None else float(k.minimum))
        sh.append(row)
    r = sh.next_row
    sh.append(
        [
            sh.styled("Total", font=BOLD),
            *[None] * (c_eff - 2),
            sh.formula(f"{col(c_eff)}{r}", f"=SUM({col(c_eff)}2:{col(c_eff)}{r - 1})",
                       float(w.sum()), number_format="0.00%", font=BOLD),
        ]
    )  # fmt: skip
    sh.append([])
    note_last = 7 if hier else 6  # the notes wrap over the criteria's columns
    sh.wrapped_row(
        "Edit the yellow weights: effective weights, scores and ranks recompute. "
        "Criterion weights are relative within their category"
        + (" and category weights relative to each other." if hier else ".")
        + " Normalised scores (sheet Criterion scores) are fixed by the tool.",
        last=note_last,
        font=NOTE_FONT,
    )
    if ev.staged:
        sh.wrapped_row(
            "So are the must-haves and minimums (Summary, Status): prices are scored "
            "over the vendors that meet the minimums. A category score shown in red on "
            "Summary is below its minimum: score the workbook again to re-judge it.",
            last=note_last,
            font=NOTE_FONT,
        )
    return eff_cells, cat_rows


def formula_label(c: Criterion) -> str:
    """How the criterion's values become scores, in words: ``ratio (lowest ÷ bid)``."""
    scale = Scale.from_alias(c.scale)
    formula = c.effective_formula
    lower = Direction.from_alias(c.direction) is Direction.LOWER
    if scale is Scale.PRICE:
        if formula is Formula.BUDGET:
            ceiling = "" if c.max is None else f" {format_number(float(c.max))}"
            return f"budget (lowest bid to the ceiling{ceiling})"
        if formula is Formula.LINEAR:
            return "linear (lowest to highest bid)"
        return "ratio (lowest ÷ bid)"
    if scale is Scale.RELATIVE:
        if formula is Formula.RATIO:
            return "ratio (lowest ÷ value)" if lower else "ratio (value ÷ highest)"
        return "linear (min–max over the field)"
    if scale is Scale.ABSOLUTE:
        lo = "?" if c.min is None else format_number(float(c.min))
        hi = "?" if c.max is None else format_number(float(c.max))
        return f"fixed scale ({lo} to {hi})"
    return "yes/no"


def _cat_weight(ev: Evaluation, name: str) -> float:
    return next(float(k.weight) for k in ev.categories or [] if k.name == name)


def _within_shares(lay: Layout) -> list[float]:
    out = []
    for c in lay.crit:
        lo, hi = lay.spans[c.category]
        members = lay.crit[lo : hi + 1]
        total = sum(float(x.weight) for x in members)
        out.append(float(c.weight) / total if total > 0 else 1.0 / len(members))
    return out


# -- Criterion scores ----------------------------------------------------------------------
def write_criterion_scores(book: Book, lay: Layout, eff_cells: dict[str, str]) -> None:
    sh = book.sheet(CSCORES, freeze=f"B{CS_FIRST}", widths=crit_widths(lay.m))
    rk = lay.ranking
    sh.header(["Vendor", *[c.name for c in lay.crit]])
    shares = _within_shares(lay)
    share_col = "E" if lay.hierarchical else "D"
    w_row: list[object] = [sh.styled("Effective weight", font=NOTE_FONT)]
    s_row: list[object] = [sh.styled("Share of its category", font=NOTE_FONT)]
    for j, c in enumerate(lay.crit):
        cell = lay.ccol(j)
        w_row.append(sh.formula(f"{cell}2", f"={ref(WEIGHTS, eff_cells[c.name])}",
                                float(rk.weights[c.name]), number_format="0.00%"))  # fmt: skip
        wr = eff_cells[c.name].split("$")[-1]
        s_row.append(sh.formula(f"{cell}3", f"={ref(WEIGHTS, f'${share_col}${wr}')}",
                                shares[j], number_format="0.0%"))  # fmt: skip
    sh.append(w_row)
    sh.append(s_row)
    s = rk.normalised[[c.name for c in lay.crit]].to_numpy(dtype=float)
    cols = [sh.text_cells("A", lay.vendors)]
    cols += [sh.number_cells(lay.ccol(j), s[:, j]) for j in range(lay.m)]
    sh.append_columns(cols)


# -- Contributions -------------------------------------------------------------------------
def write_contributions(book: Book, lay: Layout, eff_cells: dict[str, str]) -> None:
    sh = book.sheet(CONTRIB, freeze="B2", widths=crit_widths(lay.m + 1))
    rk = lay.ranking
    sh.header(["Vendor", *[c.name for c in lay.crit], "Total"])
    pts = rk.contributions[[c.name for c in lay.crit]].to_numpy(dtype=float)
    comp_col = summary_columns(lay)["Completeness"]
    cols = [sh.text_cells("A", lay.vendors)]
    off = CS_FIRST - sh.next_row  # Criterion scores row of the same vendor: {o}
    cs_sheet, comp = ref(CSCORES, ""), ref(SUMMARY, f"${comp_col}{{p}}")
    to_summary = SUMMARY_FIRST - sh.next_row  # Summary row of the same vendor: {p}
    for j, c in enumerate(lay.crit):
        cell = lay.ccol(j)
        w_ref = ref(WEIGHTS, eff_cells[c.name])
        s_ref = f"{cs_sheet}{cell}{{o}}"
        if lay.exclude:
            f = f'IF(OR({s_ref}="",{comp}<=0),0,100*{w_ref}*{s_ref}/{comp})'
        else:
            f = f"100*{w_ref}*{s_ref}"
        cols.append(sh.formula_cells(cell, f, pts[:, j], offset=off, offset2=to_summary))
    total = sh.style_id(number_format="0.00")
    tot_f = f"SUM(B{{r}}:{lay.ccol(lay.m - 1)}{{r}})"
    cols.append(sh.formula_cells(lay.ccol(lay.m), tot_f, pts.sum(axis=1), total))
    sh.append_columns(cols)


# -- Summary -------------------------------------------------------------------------------
def summary_columns(lay: Layout) -> dict[str, str]:
    """Summary header → column letter."""
    names = ["Rank", "Vendor", "Status", "Score"]
    if lay.ranking.method is Method.TOPSIS:
        names += ["WSM score (live)", "WSM rank (live)"]
    names += [f"{c} (category)" for c in lay.spans]
    names += ["Completeness", STAGE_COLUMN, "Reasons", "Strengths", "Weaknesses"]
    return {n: col(i) for i, n in enumerate(names, 1)}


def summary_heading(lay: Layout, generated_at: dt.datetime, verdict: str) -> list[str]:
    """The header block of Summary, one line a row: the evaluation's name, the date and
    method, the leader and the robustness verdict (one sentence, from the stress tests)."""
    rk = lay.ranking
    ev = rk.evaluation
    name = ev.source_name or "evaluation not read from a file"
    method = "TOPSIS" if rk.method is Method.TOPSIS else "weighted sum"
    stamp = generated_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    t = rk.table
    qual = t["qualified"].to_numpy(dtype=bool)
    if qual.any():
        first = int(np.flatnonzero(qual)[0])  # the table is best first
        score = float(t["score"].iloc[first])
        leader = (
            f"Leader: {lay.vendors[first]}, score {score:.2f}"
            f" ({int(qual.sum())} of {lay.n} vendors qualify)"
        )
    else:
        leader = f"Leader: none (no vendor of the {lay.n} qualifies)"
    return [
        f"Vendor ranking: {name}",
        f"Date: {stamp}. Method: {method}; missing values: {rk.missing.value}.",
        leader,
        f"Robustness: {verdict or 'not computed.'}",
    ]


def write_summary(
    book: Book, lay: Layout, generated_at: dt.datetime | None = None, verdict: str = ""
) -> None:
    """Summary: the header block (:func:`summary_heading`), then rank, vendor, status, live
    scores, completeness, the reasons, strengths and weaknesses."""
    cols = summary_columns(lay)
    sh = book.sheet(SUMMARY, freeze=f"C{SUMMARY_FIRST}", widths=_summary_widths(cols))
    rk = lay.ranking
    topsis = rk.method is Method.TOPSIS
    heading = summary_heading(lay, generated_at or dt.datetime.now(dt.UTC), verdict)
    sh.append([sh.text(heading[0], "A1", font=TITLE_FONT)], height=LINE_HEIGHT * 1.4)
    for line in heading[1:]:
        sh.wrapped_row(line, last=list(cols).index("Reasons") + 1, font=BOLD)
    sh.append([])
    sh.header(list(cols))
    first_row = sh.next_row
    last = first_row - 1 + lay.n
    wsm_col = cols["WSM score (live)"] if topsis else "D"
    rank_col = cols["WSM rank (live)"] if topsis else "A"
    comp = cols["Completeness"]
    off = CS_FIRST - sh.next_row  # Criterion scores row of the same vendor: {o}
    all_w = f"{ref(CSCORES, '$B$2')}:${lay.ccol(lay.m - 1)}$2"
    s_all = ref(CSCORES, lay.crow(lay.all_span).format(r="{o}"))
    t = rk.table
    qual = t["qualified"].to_numpy(dtype=bool)
    ranks = np.where(qual, t["rank"].to_numpy(dtype=float, na_value=np.nan), np.nan)
    scores = t["score"].to_numpy(dtype=float)
    # the live weighted sum, which for TOPSIS runs sits beside the (fixed) TOPSIS score
    wsm = rk.contributions.sum(axis=1).to_numpy(dtype=float)
    sp = f"100*SUMPRODUCT({all_w},{s_all})"
    wsm_f = f"IF({comp}{{r}}>0,{sp}/{comp}{{r}},0)" if lay.exclude else sp
    rank_f = (
        f'IF(C{{r}}="{QUALIFIED}",SUMPRODUCT(($C${first_row}:$C${last}="{QUALIFIED}")'
        f'*(${wsm_col}${first_row}:${wsm_col}${last}>{wsm_col}{{r}}+{_TIE_FORMULA}))+1,"")'
    )
    two = sh.style_id(number_format="0.00")
    out: dict[str, list[str]] = {}
    out["Vendor"] = sh.text_cells("B", lay.vendors, font=BOLD)
    out["Status"] = sh.text_cells("C", [QUALIFIED if q else DISQUALIFIED for q in qual])
    if topsis:
        out["Rank"] = sh.number_cells("A", ranks)
        out["Score"] = sh.number_cells("D", scores, two)
        out["WSM score (live)"] = sh.formula_cells(wsm_col, wsm_f, wsm, two, off)
        out["WSM rank (live)"] = sh.formula_cells(rank_col, rank_f, _wsm_ranks(wsm, qual))
    else:
        out["Rank"] = sh.formula_cells("A", rank_f, ranks)
        out["Score"] = sh.formula_cells("D", wsm_f, scores, two, off)
    one = sh.style_id(number_format="0.0")
    for cat, span in lay.spans.items():
        name = f"{cat} (category)"
        w_c = f"{ref(CSCORES, f'${lay.ccol(span[0])}$3')}:${lay.ccol(span[1])}$3"
        s_c = ref(CSCORES, lay.crow(span).format(r="{o}"))
        num = f"100*SUMPRODUCT({w_c},{s_c})"
        if lay.exclude:  # no value in any of the category's criteria: "" (no data), not 0
            den = f'SUMPRODUCT({w_c},--({s_c}<>""))'
            f = f'IF({den}>0,{num}/{den},"")'
        else:
            f = num
        cached = rk.shown_category_scores[cat].to_numpy(dtype=float)  # NaN caches ""
        out[name] = sh.formula_cells(cols[name], f, cached, one, off)
    data_row = ref(DATA, lay.crow(lay.all_span).format(r="{p}"))  # Data's row: {p}
    out["Completeness"] = sh.formula_cells(
        comp, f'SUMPRODUCT({all_w},--({data_row}<>""))',
        t["completeness"].to_numpy(dtype=float), sh.style_id(number_format="0%"), off,
        2 - sh.next_row,  # Data's vendors start on row 2
    )  # fmt: skip
    stages = [stage_label(rk.stage_of(v)) for v in lay.vendors]
    out[STAGE_COLUMN] = sh.text_cells(cols[STAGE_COLUMN], stages)
    out["Reasons"] = sh.text_cells(
        cols["Reasons"], ["; ".join(x) for x in t["reasons"]], alignment=WRAP
    )
    ex = rk.explanations or {}
    sw = [ex.get(v, {}) if ex else {} for v in lay.vendors]
    # rows as tall as their Reasons need (the printed columns); strengths and weaknesses
    # print in their own block under the table and chart (_strengths_block)
    reasons = {list(cols).index("Reasons") + 1: ["; ".join(x) for x in t["reasons"]]}
    sw_texts: dict[str, list[str]] = {}
    for key, low in (("Strengths", "strengths"), ("Weaknesses", "weaknesses")):
        sw_texts[key] = ["; ".join(e.get(low, [])) for e in sw]
        out[key] = sh.text_cells(cols[key], sw_texts[key], alignment=WRAP)
    sh.append_columns([out[name] for name in cols], heights=sh.row_heights(reasons))
    _summary_dressing(sh, lay, cols, lay.n, sw_texts)
    sh.add_comments(_no_data_notes(lay, cols, first=first_row))  # last: after print setup


def _strengths_block(
    sh: Sheet, lay: Layout, cols: dict[str, str], texts: dict[str, list[str]]
) -> None:
    """Strengths and weaknesses of the first :data:`SUMMARY_BLOCK_VENDORS` vendors (best
    first) as a printable block under the table: Vendor in B, the two texts wrapped over
    the columns from Status to Reasons (the Strengths and Weaknesses columns, right of the
    Reasons, are too wide to print beside the table)."""
    names = list(cols)
    first, last = 3, names.index("Reasons") + 1  # C to the Reasons column
    widths = [sh.width(j) for j in range(first, last + 1)]
    split = min(
        range(first, last),
        key=lambda k: abs(sum(widths[: k - first + 1]) - sum(widths[k - first + 1 :])),
    )
    w_s, w_w = sum(widths[: split - first + 1]), sum(widths[split - first + 1 :])
    k = min(lay.n, SUMMARY_BLOCK_VENDORS)
    title = STRENGTHS_TITLE if k == lay.n else f"{STRENGTHS_TITLE}, first {k} of {lay.n} vendors"
    sh.append([None, sh.styled(title, font=TITLE_FONT)], height=LINE_HEIGHT * 1.4)
    r = sh.next_row
    row: list[object] = [None] * (last + 1)
    row[1] = sh.styled("Vendor", text=True, font=HEADER_FONT, fill=HEADER_FILL)
    row[first - 1] = sh.styled(
        "Strengths", text=True, font=HEADER_FONT, fill=HEADER_FILL, alignment=HEADER_ALIGN
    )
    row[split] = sh.styled(
        "Weaknesses", text=True, font=HEADER_FONT, fill=HEADER_FILL, alignment=HEADER_ALIGN
    )
    sh.append(row)
    ranges = [(f"{col(first)}{r}", f"{col(split)}{r}"), (f"{col(split + 1)}{r}", f"{col(last)}{r}")]
    for i in range(k):
        r = sh.next_row
        s, w = texts["Strengths"][i], texts["Weaknesses"][i]
        row = [None] * (last + 1)
        row[1] = sh.text(lay.vendors[i], f"B{r}", font=BOLD, alignment=WRAP)
        row[first - 1] = sh.text(s or "—", f"{col(first)}{r}", alignment=WRAP)
        row[split] = sh.text(w or "—", f"{col(split + 1)}{r}", alignment=INDENTED)
        lines = max(text_lines(s, w_s), text_lines(w, w_w), text_lines(lay.vendors[i], 28))
        sh.append(row, height=LINE_HEIGHT * lines if lines > 1 else None)
        ranges += [
            (f"{col(first)}{r}", f"{col(split)}{r}"),
            (f"{col(split + 1)}{r}", f"{col(last)}{r}"),
        ]
    for a, b in ranges:
        sh.ws.merged_cells.add(f"{a}:{b}")


def _no_data_notes(lay: Layout, cols: dict[str, str], first: int) -> dict[str, str]:
    """Summary cell → why its category score is empty: the vendor has no value in any of
    the category's criteria and missing values are excluded (``Ranking.category_no_data``)."""
    no_data = lay.ranking.category_no_data
    notes: dict[str, str] = {}
    for cat in lay.spans:
        letter = cols[f"{cat} (category)"]
        rows = np.flatnonzero(no_data[cat].reindex(lay.vendors).fillna(False).to_numpy(bool))
        for i in rows.tolist():
            notes[f"{letter}{first + i}"] = no_data_reason(lay.vendors[i], cat)
    return notes


def _wsm_ranks(wsm: np.ndarray, qual: np.ndarray) -> np.ndarray:
    """The tool's rank rule on the weighted sum (qualified vendors; NaN for the others)."""
    return np.where(qual, ranks_among(wsm, np.sort(wsm[qual])).astype(float), np.nan)


def _summary_widths(cols: dict[str, str]) -> dict[int, float]:
    widths: dict[int, float] = {1: 7, 2: 28, 3: 13, 4: 9}
    for j, name in enumerate(cols, 1):
        if name.endswith("(category)") or name.startswith("WSM") or name == "Completeness":
            # wide enough that the header wraps between words, not inside one
            widths[j] = min(max(13, 2 + max(len(w) for w in name.split())), 30)
        elif name == "Reasons":
            widths[j] = 40
        elif name == STAGE_COLUMN:
            widths[j] = 16
        elif name in ("Strengths", "Weaknesses"):
            widths[j] = 50
    return widths


def _category_minimums(lay: Layout) -> dict[str, float]:
    """Category → its minimum, for the categories scored that have one."""
    return {
        k.name: float(k.minimum)
        for k in lay.ranking.evaluation.categories or []
        if k.minimum is not None and k.name in lay.spans
    }


def _summary_dressing(
    sh: Sheet, lay: Layout, cols: dict[str, str], n: int, sw_texts: dict[str, list[str]]
) -> None:
    """Leader highlight, grey disqualified rows, data bars, chart and print setup.

    The chart sits under the table when the table is short (it is the first thing a reader
    scrolls to), else to the right of it. Printing: the header block and the table to
    Reasons (plus the chart under a short table), then the strengths and weaknesses block
    (:func:`_strengths_block`); landscape, the column headers on every page; on one page up
    to :data:`SUMMARY_ONE_PAGE_MAX` vendors, else one page wide.
    """
    last_col = list(cols.values())[-1]
    ws = sh.ws
    method = "TOPSIS" if lay.ranking.method is Method.TOPSIS else "weighted sum"
    ws.oddHeader.center.text = (
        f"Vendor ranking ({method}, missing values: {lay.ranking.missing.value})"
    )
    top, bottom = SUMMARY_FIRST, SUMMARY_FIRST + n - 1
    titles = f"{SUMMARY_HEADER_ROW}:{SUMMARY_HEADER_ROW}"
    if n == 0:
        sh.print_setup(title_rows=titles, last_row=SUMMARY_HEADER_ROW,
                       last_col=list(cols).index("Reasons") + 1, one_page=True)  # fmt: skip
        return
    rows = f"A{top}:{last_col}{bottom}"
    # first, so that it shows on a disqualified (grey) row too: which category fell short
    for cat, minimum in _category_minimums(lay).items():
        c = cols[f"{cat} (category)"]
        bar = f"{format_number(minimum, 15)}-{_MIN_TOLERANCE}"
        short = f"AND(ISNUMBER({c}{top}),{c}{top}<{bar})"
        ws.conditional_formatting.add(
            f"{c}{top}:{c}{bottom}",
            FormulaRule(formula=[short], fill=BELOW_MINIMUM_FILL, font=BELOW_MINIMUM_FONT),
        )
    ws.conditional_formatting.add(
        rows,
        FormulaRule(formula=[f'$C{top}="{DISQUALIFIED}"'], font=GREY_FONT, stopIfTrue=True),
    )
    ws.conditional_formatting.add(
        rows, FormulaRule(formula=[f"$A{top}=1"], fill=LEADER_FILL, font=Font(bold=True))
    )
    ws.conditional_formatting.add(
        f"D{top}:D{bottom}",
        DataBarRule(start_type="num", start_value=0, end_type="num", end_value=100,
                    color="5B9BD5"),
    )  # fmt: skip
    # qualified vendors come first, best first: chart them (all vendors if none qualifies)
    n_q = int(lay.ranking.table["qualified"].to_numpy(dtype=bool).sum())
    shown = n_q or n
    k = min(shown, CHART_VENDORS)
    who = "qualified vendors" if n_q else "vendors (none qualifies)"
    chart = BarChart()
    chart.type = "bar"
    chart.title = f"Scores, {who}" if k == shown else f"Scores, top {k} of {shown} {who}"
    chart.y_axis.title = "Score (0–100)"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 100
    chart.y_axis.majorUnit = 20
    chart.y_axis.number_format = "0"
    chart.y_axis.majorGridlines = None
    chart.gapWidth = 40
    chart.x_axis.scaling.orientation = "maxMin"  # best at the top
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.legend = None
    chart.add_data(
        Reference(ws, min_col=4, min_row=top - 1, max_row=top + k - 1), titles_from_data=True
    )
    chart.set_categories(Reference(ws, min_col=2, min_row=top, max_row=top + k - 1))
    chart.height = max(7.5, 0.75 * k + 3)  # cm: every vendor's name readable
    chart.width = 16
    below = n <= CHART_BELOW_MAX
    anchor = f"B{bottom + 2}" if below else f"{col(len(cols) + 2)}{top}"
    ws.add_chart(chart, anchor)
    chart_rows = math.ceil(chart.height / 0.53) + 1 if below else 0  # 15-point rows
    sh.skip(bottom + 1 + chart_rows - sh.row)
    _strengths_block(sh, lay, cols, sw_texts)
    sh.print_setup(title_rows=titles, last_col=list(cols).index("Reasons") + 1,
                   one_page=n <= SUMMARY_ONE_PAGE_MAX)  # fmt: skip
