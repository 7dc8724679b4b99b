"""Generate the bundled sample workbooks from fixed, hand-written values.

Run from the repository root::

    python data/make_sample.py          # writes sample_vendors.xlsx/.csv, sample_scores.xlsx,
                                        # sample_monitoring.xlsx
    python data/make_sample.py OUT_DIR  # writes them into OUT_DIR instead

The eleven IT-outsourcing providers are fictional (their websites use the reserved
``.example`` domain). The values are chosen so that the sample is instructive: a close call
at the top that the stress tests explain (the weights, TOPSIS and a withdrawal each change
the leader: the hourly rate is a ratio-scored price, so the lowest bidder's withdrawal moves
every other price score), a few missing values, and exactly one vendor that fails a
must-have (no ISO 27001) although it would otherwise be among the front-runners. There is no
randomness and every timestamp is fixed, so re-running the script reproduces the files
exactly.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # allow `python data/make_sample.py` without installing
    sys.path.insert(0, str(ROOT))

from openpyxl import Workbook  # noqa: E402

from vendor_eval.core.model import Criterion, MustRule, Scale  # noqa: E402
from vendor_eval.workbook.defaults import (  # noqa: E402
    DEFAULT_CATEGORIES,
    DEFAULT_CRITERIA,
    PERCENT_CRITERIA,
)
from vendor_eval.workbook.template import (  # noqa: E402
    style_header_row,
    workbook_bytes,
    write_categories_sheet,
    write_criteria_sheet,
    write_text_sheet,
    write_vendors_sheet,
)

N = None  # a missing value

#: Criterion order of the value rows below (the default model's order).
COLUMNS = [c.name for c in DEFAULT_CRITERIA]

# fmt: off
#   rating refs years similar industry iso tech head sec resp tz lang sla  credits exit pay
#   fin growth retention rate
VALUES: dict[str, list[float | None]] = {
    "Northwind Systems":      [4.3, 1, 18, 42, 9,  1, 4.0, 220, 4.0, 4,  6, 4, 0.999,  1, 1, 45,
                               4.0, 0.12, 0.94, 56],
    "Bluepeak Digital":       [4.2, 1, 11, 30, 6,  1, 4.0, 140, 4.0, 6,  5, 4, 0.998,  1, 1, 30,
                               4.0, 0.18, 0.90, 55],
    "Corvane Technologies":   [4.4, 1, 22, 36, 12, 1, 4.0, 380, 4.0, 6,  4, 4, 0.999,  1, 0, 30,
                               4.5, 0.05, 0.92, 72],
    "Larkspur IT Services":   [3.8, 0, 7,  14, 3,  1, 3.5, 60,  3.5, 3,  7, 5, 0.995,  0, 1, 60,
                               3.0, 0.25, 0.85, 49],
    "Meridian Byteworks":     [4.0, 1, 15, 25, N,  1, 3.5, 210, 3.0, 12, 2, 3, 0.995,  1, 1, 30,
                               3.5, 0.08, 0.88, 38],
    "Quillstone Consulting":  [4.7, 1, 26, 48, 12, 1, 4.0, 90,  4.0, 5,  8, 5, 0.9995, 1, 1, 30,
                               4.5, 0.03, 0.96, 95],
    "Redfern Cloud Partners": [4.5, 1, 9,  33, 7,  0, 4.5, 260, 3.5, 4,  6, 4, 0.999,  1, 1, 45,
                               4.0, 0.30, 0.91, 47],
    "Silverbirch Software":   [3.5, 1, 5,  9,  2,  1, 3.0, 45,  N,   24, 8, 5, 0.99,   0, 0, 30,
                               2.5, 0.40, 0.80, 52],
    "Tidewater Tech Group":   [3.9, 0, 31, 46, 10, 1, 3.0, 450, 3.5, 10, 1, 3, 0.995,  1, 0, 60,
                               4.5, -0.02, 0.89, 49],
    "Umberline Solutions":    [4.1, 1, 12, 21, 5,  1, 4.0, 120, 4.0, 6,  4, 4, 0.998,  1, 1, N,
                               3.5, N, N, 58],
    "Zephyr Harbor Labs":     [3.6, 1, 4,  6,  1,  1, 3.5, 35,  3.0, 2,  8, 5, 0.995,  0, 1, 30,
                               2.5, 0.55, 0.75, 44],
}
# fmt: on

#: Descriptive columns: website, country, contact, notes (carried through untouched).
DESCRIPTIVE: dict[str, tuple[str, str, str, str]] = {
    "Northwind Systems": (
        "https://www.northwind-systems.example",
        "Poland",
        "Anna Kowalczyk <anna.k@northwind-systems.example>",
        "Strong reference calls; proposed a dedicated team of 12.",
    ),
    "Bluepeak Digital": (
        "https://bluepeak-digital.example",
        "Portugal",
        "Rui Matos <rui.matos@bluepeak-digital.example>",
        "Good value; smaller bench for niche skills.",
    ),
    "Corvane Technologies": (
        "https://corvane.example",
        "India",
        "Priya Raman <p.raman@corvane.example>",
        "Large and established; contract draft has no exit clause.",
    ),
    "Larkspur IT Services": (
        "https://larkspur-it.example",
        "Ireland",
        "Sean Doyle <sdoyle@larkspur-it.example>",
        "Young company, fast-growing; we could not reach references yet.",
    ),
    "Meridian Byteworks": (
        "https://meridian-byteworks.example",
        "Vietnam",
        "Linh Tran <linh.tran@meridian-byteworks.example>",
        "Cheapest offer; little overlap with our office hours.",
    ),
    "Quillstone Consulting": (
        "https://quillstone.example",
        "Canada",
        "Margaret Hale <mhale@quillstone.example>",
        "Premium partner; most experienced, most expensive.",
    ),
    "Redfern Cloud Partners": (
        "https://redfern-cloud.example",
        "Romania",
        "Andrei Popescu <andrei@redfern-cloud.example>",
        "Attractive offer, but ISO 27001 certification only planned for next year.",
    ),
    "Silverbirch Software": (
        "https://silverbirch.example",
        "Estonia",
        "Kadri Tamm <kadri@silverbirch.example>",
        "Start-up; security review not yet done.",
    ),
    "Tidewater Tech Group": (
        "https://tidewater-tech.example",
        "Philippines",
        "Jose Reyes <jreyes@tidewater-tech.example>",
        "Very large delivery centre; generic proposal, slow to answer.",
    ),
    "Umberline Solutions": (
        "https://umberline.example",
        "Mexico",
        "Lucia Herrera <lherrera@umberline.example>",
        "Private company: did not share growth or retention figures.",
    ),
    "Zephyr Harbor Labs": (
        "https://zephyr-harbor.example",
        "Netherlands",
        "Daan de Vries <daan@zephyr-harbor.example>",
        "Small boutique; very responsive, limited track record.",
    ),
}

#: The sample's model: the default one plus a numeric must-have, to show the syntax.
SAMPLE_CRITERIA: list[Criterion] = [
    c.replace(must=MustRule(">=", 2.0, ">= 2")) if c.name == "Financial stability" else c
    for c in DEFAULT_CRITERIA
]

#: Criteria rated by several evaluators in sample_scores.xlsx instead of a Vendors column.
SCORED = ("Technical fit", "Security assessment")
EVALUATORS = ("A. Fischer (IT)", "B. Okafor (Security)", "C. Lindqvist (Procurement)")
# Offsets around each vendor's value; each triple sums to zero so the mean is the Vendors value.
# The last one is lopsided (one enthusiast, two sceptics), so the median differs from the mean.
_SPREADS = (
    (0.5, 0.0, -0.5),
    (0.0, 0.5, -0.5),
    (-0.5, 0.0, 0.5),
    (0.0, 0.0, 0.0),
    (1.0, -0.5, -0.5),
)

_COMMENTS = {
    1.0: "best demo we saw",
    0.5: "convincing in the demo",
    -0.5: "open questions after the workshop",
}

READ_ME: list[tuple[str, str]] = [
    ("title", "Sample vendor evaluation: IT-outsourcing shortlist (fictional)"),
    ("", ""),
    (
        "",
        "This workbook is the sample that vendor_eval opens with. All eleven providers, "
        "their people and websites are invented; the numbers are realistic but made up.",
    ),
    ("", ""),
    ("heading", "Sheets"),
    (
        "",
        "Vendors — one row per provider. Columns named on the Criteria sheet are scored; "
        "Website, Country, Contact and Notes are descriptive and shown next to the results. "
        "Empty cells are missing values (by default they earn no points).",
    ),
    (
        "",
        "Criteria — one row per criterion: its category, weight within the category, "
        "whether higher or lower is better, how values become points (Scale), an optional "
        "knock-out rule (Must) and a description of what was entered and why it matters.",
    ),
    (
        "",
        "Categories — the seven due-diligence areas and how much each counts overall "
        "(the weights add up to 100 here, but only their proportions matter).",
    ),
    ("", ""),
    ("heading", "Things to notice"),
    (
        "",
        "Redfern Cloud Partners has no ISO 27001 certificate. ISO 27001 is a must-have "
        "(Must = yes), so Redfern is disqualified however good the rest of its offer is.",
    ),
    (
        "",
        "Financial stability has the rule >= 2: a provider rated below 2 would be "
        "disqualified (none is).",
    ),
    (
        "",
        "Some values are missing: Meridian's years in our industry, Silverbirch's security "
        "assessment, Umberline's payment terms, growth and retention. Check the data-quality "
        "panel to see how much weight each vendor is missing.",
    ),
    (
        "",
        "Blended hourly rate is a price (Scale price, Formula ratio): a vendor's points are "
        "the lowest rate divided by its own, as public tenders score price. Meridian "
        "Byteworks bids the lowest rate (38), so every other vendor's price score depends on "
        "it: the stress tests show that Quillstone Consulting leads by less than a point, "
        "and that if Meridian withdrew its bid, Northwind Systems would win.",
    ),
    (
        "",
        "Percentages (SLA uptime, revenue growth, client retention) are stored as Excel "
        "stores them: 99.9% is the number 0.999.",
    ),
    ("", ""),
    ("heading", "Try it"),
    (
        "",
        "vendor-eval rank data/sample_vendors.xlsx ranks the vendors; vendor-eval "
        "sensitivity data/sample_vendors.xlsx tests how much the ranking depends on the "
        "weights. Change a weight on the Criteria or Categories sheet and rank again.",
    ),
]


def vendor_rows(*, skip: tuple[str, ...] = ()) -> list[dict[str, object]]:
    """The Vendors table as one dict per vendor (header → value; missing values absent)."""
    rows = []
    for vendor, values in VALUES.items():
        website, country, contact, notes = DESCRIPTIVE[vendor]
        row: dict[str, object] = {
            "Vendor": vendor,
            "Website": website,
            "Country": country,
            "Contact": contact,
            "Notes": notes,
        }
        for name, value in zip(COLUMNS, values, strict=True):
            if value is None or name in skip:
                continue
            crit = SAMPLE_CRITERIA[COLUMNS.index(name)]
            row[name] = ("yes" if value else "no") if crit.scale is Scale.YESNO else value
        rows.append(row)
    return rows


def build_sample() -> Workbook:
    """The main sample: Read me, Vendors, Criteria, Categories."""
    wb = Workbook()
    wb.remove(wb.active)
    write_text_sheet(wb, "Read me", READ_ME)
    write_vendors_sheet(
        wb,
        SAMPLE_CRITERIA,
        vendor_rows(),
        leading=("Website", "Country", "Contact"),
        trailing=("Notes",),
    )
    write_criteria_sheet(wb, SAMPLE_CRITERIA)
    write_categories_sheet(wb, DEFAULT_CATEGORIES)
    wb.active = 1  # open on the Vendors sheet
    return wb


def score_rows() -> list[list[object]]:
    """Scores-sheet rows: three evaluators rate SCORED criteria; mean = the Vendors value."""
    rows: list[list[object]] = []
    for v_index, (vendor, values) in enumerate(VALUES.items()):
        for c_index, name in enumerate(SCORED):
            value = values[COLUMNS.index(name)]
            if value is None:
                continue  # not assessed yet: no scores, so the value stays missing
            spread = _SPREADS[(v_index + c_index) % len(_SPREADS)]
            for evaluator, offset in zip(EVALUATORS, spread, strict=True):
                score = value + offset
                rows.append([evaluator, vendor, name, score, _COMMENTS.get(offset)])
    return rows


def build_scores_sample() -> Workbook:
    """A multi-evaluator variant: SCORED criteria come from a Scores sheet."""
    wb = Workbook()
    wb.remove(wb.active)
    write_vendors_sheet(
        wb,
        [c for c in SAMPLE_CRITERIA if c.name not in SCORED],
        vendor_rows(skip=SCORED),
        leading=("Website", "Country", "Contact"),
        trailing=("Notes",),
    )
    ws = wb.create_sheet("Scores")
    style_header_row(
        ws, ["Evaluator", "Vendor", "Criterion", "Score", "Comment"], [28, 26, 22, 8, 30]
    )
    for r, row in enumerate(score_rows(), start=2):
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=value)
    write_criteria_sheet(wb, SAMPLE_CRITERIA)
    write_categories_sheet(wb, DEFAULT_CATEGORIES)
    wb.active = 0
    return wb


def sample_csv() -> str:
    """The Vendors table as CSV text, as Excel would export it (percentages as "99.9%")."""
    headers = ["Vendor", *COLUMNS, "Website", "Country", "Contact", "Notes"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(headers)
    for row in vendor_rows():
        cells = []
        for h in headers:
            value = row.get(h)
            if value is None:
                cells.append("")
            elif h in PERCENT_CRITERIA:
                cells.append(f"{float(value) * 100:g}%")
            elif isinstance(value, float) and value.is_integer():
                cells.append(str(int(value)))
            else:
                cells.append(str(value))
        writer.writerow(cells)
    return out.getvalue()


# -- the monitoring sample (after the award) ----------------------------------------------------
#: Three contracts followed month by month in 2026 (docs/monitoring.md): Quillstone steady and
#: excellent, Northwind slipping in the summer (two breaches running open corrective actions;
#: one month without a satisfaction survey), Corvane starting in April and improving.
MONITORED = ("Quillstone Consulting", "Northwind Systems", "Corvane Technologies")
MONITOR_MONTHS = [f"2026-{m:02d}" for m in range(1, 12)]
MONITOR_KPIS = [
    # name, vendor, unit, direction, target, threshold, weight, criterion
    ("Uptime", None, "%", "higher", 99.9, 99.5, 3, "SLA uptime"),
    ("Response time", None, "h", "lower", 4, 8, 2, "Response time (hours)"),
    ("Response time", "Northwind Systems", "h", "lower", 2, 6, 2, "Response time (hours)"),
    ("Tickets resolved in SLA", None, "%", "higher", 95, 85, 2, None),
    ("Customer satisfaction", None, "1-5", "higher", 4.2, 3.5, 1, None),
]
MONITOR_VALUES: dict[str, dict[str, list[float | None]]] = {
    "Quillstone Consulting": {
        "Uptime": [99.95, 99.92, 99.97, 99.90, 99.93, 99.96, 99.91, 99.94, 99.95, 99.97, 99.96],
        "Response time": [3.5, 3.8, 3.2, 4.1, 3.9, 3.6, 3.4, 3.7, 3.3, 3.1, 3.0],
        "Tickets resolved in SLA": [96, 97, 95, 94, 96, 97, 98, 97, 96, 97, 98],
        "Customer satisfaction": [4.4, 4.3, 4.5, 4.2, 4.4, 4.5, 4.6, 4.5, 4.4, 4.6, 4.7],
    },
    "Northwind Systems": {
        "Uptime": [99.92, 99.9, 99.88, 99.85, 99.8, 99.7, 99.4, 99.3, 99.6, 99.75, 99.8],
        "Response time": [1.8, 2.0, 2.5, 3.0, 3.5, 4.0, 5.5, 6.5, 5.0, 4.0, 3.5],
        "Tickets resolved in SLA": [95, 94, 93, 92, 90, 88, 84, 83, 87, 89, 90],
        "Customer satisfaction": [4.3, 4.2, 4.1, 4.0, 3.9, 3.8, 3.4, 3.3, 3.6, N, 3.9],
    },
    "Corvane Technologies": {
        "Uptime": [N, N, N, 99.85, 99.87, 99.9, 99.91, 99.92, 99.9, 99.93, 99.94],
        "Response time": [N, N, N, 5, 4.8, 4.5, 4.2, 4.0, 3.9, 3.8, 3.6],
        "Tickets resolved in SLA": [N, N, N, 88, 90, 91, 93, 94, 95, 95, 96],
        "Customer satisfaction": [N, N, N, 3.9, 4.0, 4.0, 4.1, 4.2, 4.2, 4.3, 4.3],
    },
}
_MONITOR_COMMENTS = {
    ("Northwind Systems", "2026-07", "Uptime"): "Storage outage on 14 July, 9 hours",
    ("Northwind Systems", "2026-10", "Customer satisfaction"): "Survey not run in October",
}


def build_monitoring_sample() -> bytes:
    """sample_monitoring.xlsx: the blank monitoring template filled with MONITOR_VALUES."""
    from openpyxl import load_workbook

    from vendor_eval.core.model import Direction
    from vendor_eval.monitoring.model import Kpi
    from vendor_eval.output.excel.monitoring_template import monitoring_template_bytes

    kpis = [
        Kpi(name, Direction(d), target, threshold, weight, vendor, unit, criterion)
        for name, vendor, unit, d, target, threshold, weight, criterion in MONITOR_KPIS
    ]
    wb = load_workbook(io.BytesIO(monitoring_template_bytes(vendors=MONITORED, kpis=kpis)))
    ws = wb["Performance"]
    row = 2
    for vendor in MONITORED:
        for kpi, values in MONITOR_VALUES[vendor].items():
            for month, value in zip(MONITOR_MONTHS, values, strict=True):
                comment = _MONITOR_COMMENTS.get((vendor, month, kpi))
                if value is None and comment is None:
                    continue
                for col, cell in enumerate((month, vendor, kpi, value, comment), start=1):
                    ws.cell(row=row, column=col, value=cell)
                row += 1
    return workbook_bytes(wb)


def main(argv: list[str] | None = None) -> int:
    """Write the sample files into ``argv[0]`` (default: this script's folder)."""
    args = sys.argv[1:] if argv is None else argv
    out_dir = Path(args[0]) if args else Path(__file__).resolve().parent
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "sample_vendors.xlsx").write_bytes(workbook_bytes(build_sample()))
    (out_dir / "sample_scores.xlsx").write_bytes(workbook_bytes(build_scores_sample()))
    (out_dir / "sample_vendors.csv").write_text(sample_csv(), encoding="utf-8", newline="")
    (out_dir / "sample_monitoring.xlsx").write_bytes(build_monitoring_sample())
    names = ("sample_vendors.xlsx", "sample_scores.xlsx", "sample_vendors.csv")
    for name in (*names, "sample_monitoring.xlsx"):
        print(f"wrote {out_dir / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
