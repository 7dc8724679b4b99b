"""The award report (docs/report.md): the decision record as a PDF, for management and auditors.

:func:`report_pdf` lays out the result objects the Excel export is built from (the
:class:`~vendor_eval.core.model.Evaluation`, its :class:`~vendor_eval.scoring.ranking.Ranking`,
the :class:`~vendor_eval.stress.report.SensitivityReport`) as HTML and has WeasyPrint print
it. The sections follow docs/report.md §1; the project-only ones (goals, the panel, the
moderation log) appear only when :class:`ProjectFacts` carries them, and the decision
section says when none is recorded. Every text that comes from a file or the database is
escaped (:func:`html.escape`): a vendor named ``</table><h1>x`` prints as written, and no
such text becomes a link, a style or a script. The charts are given as plotly figures
(:func:`vendor_eval.charts.award.award_figures`) and drawn by :mod:`.figures`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from vendor_eval import __version__
from vendor_eval.core.model import Evaluation, Method, MissingPolicy, format_number
from vendor_eval.output.report.facts import ProjectFacts
from vendor_eval.output.report.figures import Drawn, browser_starting, render_svgs
from vendor_eval.output.report.markup import e, facts, pct, table, when
from vendor_eval.output.report.style import CSS
from vendor_eval.output.text import ranking_settings, settings_line
from vendor_eval.scoring.ranking import Ranking, stage_label
from vendor_eval.stress.report import SensitivityReport

__all__ = [
    "SECTIONS",
    "AwardReport",
    "ProjectFacts",
    "render_report",
    "report_pdf",
]

#: Section id → heading, in the report's order (docs/report.md §1).
SECTIONS = {
    "goals": "Goals",
    "panel": "The panel",
    "method": "Method",
    "weights": "Weights",
    "gates": "Gates",
    "ranking": "Ranking",
    "vendors": "Strengths and weaknesses",
    "head-to-head": "Head-to-head",
    "robustness": "Robustness",
    "moderation": "Moderation log",
    "decision": "Decision",
    "appendix": "Appendix",
}
NO_DECISION = "No decision is recorded: this report is of the evaluation as it stands."
#: Lines to sign the printed report on (names, signature and date, by hand).
SIGN_OFF_ROWS = ("Prepared by", "Reviewed by", "Approved by", "Signature", "Date")
SIGN_OFF = (
    '<h3>Sign-off</h3><table class="signoff"><tbody>'
    + "".join(f'<tr><th scope="row">{r}</th><td></td></tr>' for r in SIGN_OFF_ROWS)
    + "</tbody></table>"
)
_METHODS = {
    Method.WSM: "Weighted sum (WSM): each criterion is normalised to 0–1 and the vendor's "
    "score is the weighted sum, out of 100 points.",
    Method.TOPSIS: "TOPSIS: vendors are ranked by their closeness to the ideal vendor (the "
    "best value on every criterion) and distance from the worst, on the weighted, "
    "normalised values.",
}
_MISSING = {
    MissingPolicy.WORST: "worst — a missing value scores as the worst value (no evidence, "
    "no points)",
    MissingPolicy.MEAN: "mean — a missing value scores as the qualified vendors' mean",
    MissingPolicy.EXCLUDE: "exclude — a missing value is left out and the vendor's score is "
    "taken over the criteria it has",
}


@dataclass
class AwardReport:
    """The PDF and the notes of charts that could not be drawn (the CLI prints them)."""

    pdf: bytes
    chart_notes: list[str] = field(default_factory=list)


class _Builder:
    def __init__(
        self,
        ev: Evaluation,
        rk: Ranking,
        sens: SensitivityReport | None,
        project: ProjectFacts | None,
        drawn: Mapping[str, Drawn],
    ) -> None:
        self.ev, self.rk, self.sens, self.drawn = ev, rk, sens, drawn
        self.p = project or ProjectFacts()

    def chart(self, name: str, alt: str) -> str:
        d = self.drawn.get(name)
        if d is None:
            return ""
        if d.svg is None:
            return f'<div class="chart-missing" id="no-chart-{name}">{e(d.note)}</div>'
        import base64

        data = base64.b64encode(d.svg.encode("utf-8")).decode("ascii")
        return (
            f'<img class="chart" id="chart-{name}" alt="{e(alt)}" '
            f'src="data:image/svg+xml;base64,{data}">'
        )

    # -- sections: each returns its body HTML, or None when it has nothing to say ----------
    def goals(self) -> str | None:
        if not self.p.goals:
            return None
        out = []
        for g in self.p.goals:
            serving = [c.name for c in self.ev.criteria if c.goal.casefold() == g.name.casefold()]
            crits = ", ".join(e(c) for c in serving) or "no criterion names this goal"
            out.append(
                f"<h3>{e(g.name)}</h3><p>{e(g.description)}</p>"
                f'<p><span class="label">Criteria:</span> {crits}</p>'
            )
        return "".join(out)

    def panel(self) -> str | None:
        if not self.p.panel:
            return None
        rows = [
            [e(m.name), e(m.role), e(m.conflicts) if m.conflicts else "none declared"]
            for m in self.p.panel
        ]
        return table(["Member", "Role", "Conflict declaration"], rows)

    def method(self) -> str:
        rk, s = self.rk, self.sens
        line = settings_line(ranking_settings(rk), costs=self.ev.costs is not None)
        parts = [
            f"<p>{e(_METHODS[rk.method])}</p>",
            f'<p><span class="label">Missing values:</span> {e(_MISSING[rk.missing])}.</p>',
            f"<p>{e(line)}.</p>",
        ]
        if s is not None:
            weights = "uniform weights" if s.kappa is None else f"Dirichlet, κ = {s.kappa:g}"
            parts.append(
                f"<p>Stress tests: {s.samples:,} weight samples ({e(weights)}, seed {s.seed}), "
                f"weighted sum, missing values {e(s.missing.value)}.</p>"
            )
        notes = [*rk.messages, *(str(w) for w in self.ev.warnings)]
        if notes:
            items = "".join(f"<li>{e(n)}</li>" for n in notes)
            parts.append(f'<p class="label">Notes and warnings</p><ul class="note">{items}</ul>')
        return "".join(parts)

    def weights(self) -> str:
        w = self.rk.weights
        entered = {k.name: k.weight for k in self.ev.categories or []}
        rows = []
        for c in self.ev.criteria:
            rows.append(
                [
                    e(c.category),
                    e(c.name),
                    e(c.direction.value),
                    format_number(c.weight),
                    pct(float(w.get(c.name, 0.0))),
                ]
            )
        cats = "".join(
            f"<li>{e(k)}: {format_number(entered[k])} entered, "
            f"{pct(sum(float(w.get(c.name, 0.0)) for c in self.ev.criteria if c.category == k))}"
            " of the total</li>"
            for k in self.ev.category_names
            if k in entered
        )
        return (
            self.chart("weights", "Effective weights by category and criterion")
            + (f"<h3>Categories</h3><ul>{cats}</ul>" if cats else "")
            + "<h3>Criteria</h3>"
            + table(
                ["Category", "Criterion", "Direction", "Entered weight", "Effective weight"],
                rows,
                num=(3, 4),
            )
        )

    def gates(self) -> str:
        ev, rk = self.ev, self.rk
        musts = [[e(c.name), e(c.must.text)] for c in ev.criteria if c.must is not None]
        mins = [
            [e(k.name), f"category score at least {format_number(k.minimum)}"]
            for k in ev.categories or []
            if k.minimum is not None
        ]
        if ev.settings.quality_minimum is not None:
            q = format_number(ev.settings.quality_minimum)
            mins.append(["Quality score", f"at least {q} before prices are compared"])
        parts = ["<h3>Must-haves</h3>"]
        parts.append(
            table(["Criterion", "Must be"], musts)
            if musts
            else "<p>No criterion is a must-have.</p>"
        )
        parts.append("<h3>Quality minimums</h3>")
        parts.append(
            table(["Applies to", "Minimum"], mins) if mins else "<p>No quality minimum is set.</p>"
        )
        failed = [v for v in rk.vendors if v not in set(rk.qualified)]
        parts.append("<h3>Who failed them</h3>")
        if failed:
            reasons = rk.table["reasons"]
            rows = [
                [e(v), e(stage_label(rk.stage_of(v)) or "Must-have gate"), e("; ".join(reasons[v]))]
                for v in failed
            ]
            parts.append(table(["Vendor", "Stage", "Reasons"], rows))
        else:
            parts.append("<p>Every vendor passed the gates.</p>")
        return "".join(parts)

    def ranking(self) -> str:
        t = self.rk.table
        done = t["completeness"].to_numpy(dtype=float)
        rows, classes = [], []
        for v, q, c in zip(self.rk.vendors, t["qualified"].to_numpy(dtype=bool), done, strict=True):
            r = self.rk.rank(v)
            rows.append(
                [
                    "–" if r is None else str(r),
                    e(v),
                    "Qualified" if q else "Disqualified",
                    f"{self.rk.score(v):.1f}",
                    f"{c:.0%}",
                ]
            )
            classes.append("" if q else "out")
        return self.chart("ranking", "Score by category, every vendor") + table(
            ["Rank", "Vendor", "Status", "Score", "Completeness"],
            rows,
            num=(0, 3, 4),
            classes=classes,
        )

    def vendors(self) -> str:
        out = []
        notes = self.rk.explanations
        for v in self.rk.qualified:
            n = notes.get(v, {})
            block = [f"<h3>{self.rk.rank(v)}. {e(v)} — {self.rk.score(v):.1f} points</h3>"]
            for kind in ("strengths", "weaknesses"):
                items = "".join(f"<li>{e(s)}</li>" for s in n.get(kind, [])) or "<li>none</li>"
                block.append(f'<span class="label">{kind.capitalize()}</span><ul>{items}</ul>')
            out.append(f'<div class="vendor">{"".join(block)}</div>')
        return "".join(out) or "<p>No vendor qualified.</p>"

    def head_to_head(self, sentences: Callable[[Ranking, str, str], list[str]] | None) -> str:
        top = self.rk.qualified[:2]
        if len(top) < 2:
            return "<p>Fewer than two vendors qualified: there is no head-to-head.</p>"
        a, b = top
        said = "".join(f"<li>{e(s)}</li>" for s in (sentences(self.rk, a, b) if sentences else []))
        contrib = self.rk.contributions
        pa = np.nan_to_num(contrib.loc[a].to_numpy(dtype=float))
        pb = np.nan_to_num(contrib.loc[b].to_numpy(dtype=float))
        order = np.argsort(-np.abs(pa - pb), kind="stable")  # the biggest difference first
        names = list(contrib.columns)
        rows = [
            [e(names[i]), f"{pa[i]:.2f}", f"{pb[i]:.2f}", f"{pa[i] - pb[i]:+.2f}"] for i in order
        ]
        return (
            f"<p>The top two qualified vendors: {e(a)} and {e(b)}.</p>"
            + (f"<ul>{said}</ul>" if said else "")
            + self.chart("head_to_head", f"Where {a} and {b} gain points over each other")
            + table(
                ["Criterion", f"{e(a)} points", f"{e(b)} points", "Difference"], rows, num=(1, 2, 3)
            )
        )

    def robustness(self) -> str:
        s = self.sens
        if s is None:
            return "<p>The stress tests were not run.</p>"
        parts = [f'<p class="verdict">{e(s.verdict)}</p>']
        if s.rank_probabilities:
            parts.append(self.chart("rank_probabilities", "How often each vendor takes each rank"))
            rp = s.rank_probabilities
            k = min(5, len(rp))
            order = sorted(
                rp, key=lambda v: (-rp[v][0], sum((i + 1) * q for i, q in enumerate(rp[v])))
            )
            rows = [[e(v), *(pct(q) for q in rp[v][:k])] for v in order]
            parts.append("<h3>Rank probabilities</h3>")
            parts.append(
                table(
                    ["Vendor", *(f"P(rank {r})" for r in range(1, k + 1))],
                    rows,
                    num=tuple(range(1, k + 1)),
                )
            )
        elif s.p_first:
            top = sorted(s.p_first, key=lambda v: -s.p_first[v])[:10]
            parts.append("<h3>Chance of ranking first (the most likely ten)</h3>")
            parts.append(
                table(["Vendor", "P(rank 1)"], [[e(v), pct(s.p_first[v])] for v in top], num=(1,))
            )
        flips = [c for c in s.critical if c.change is not None]
        parts.append("<h3>Critical weights</h3>")
        if flips:
            rows = [
                [
                    e(c.factor),
                    e(c.kind),
                    f"{c.current:.3f}",
                    f"{c.threshold:.3f}",
                    f"{c.change:+.3f}",
                    e(c.new_leader or ""),
                ]
                for c in flips
            ]
            parts.append(
                "<p>The smallest change of one factor's share of the total weight that "
                "hands the lead to another vendor, smallest first.</p>"
            )
            parts.append(
                table(
                    ["Factor", "Kind", "Share now", "Flips at", "Change", "New leader"],
                    rows,
                    num=(2, 3, 4),
                )
            )
        else:
            parts.append("<p>No single weight change hands the lead to another vendor.</p>")
        steady = [c.factor for c in s.critical if c.change is None]
        if steady:
            parts.append(
                f'<p class="note">No change of these alone changes the leader: '
                f"{', '.join(e(f) for f in steady)}.</p>"
            )
        if s.methods_note:
            parts.append(f"<p>{e(s.methods_note)}</p>")
        elif s.kendall_tau is not None:
            parts.append(
                f"<p>Agreement of the WSM and TOPSIS ranks (Kendall's tau-b): "
                f"{s.kendall_tau:.3f}; TOPSIS leader: {e(s.topsis_leader or 'none')}.</p>"
            )
        changes = s.withdrawal_changes
        if s.withdrawal:
            said = (
                (
                    f"{len(changes)} of {len(s.withdrawal)} withdrawals would change the winner: "
                    + "; ".join(
                        f"without {e(w.withdrawn)}, {e(w.leader or 'nobody')} would lead"
                        for w in changes
                    )
                )
                if changes
                else "No single withdrawal changes the winner"
            )
            parts.append(f"<p>If a bidder withdrew: {said}.</p>")
        elif s.withdrawal_note:
            parts.append(f"<p>{e(s.withdrawal_note)}</p>")
        return "".join(parts)

    def moderation(self) -> str | None:
        if not self.p.moderation:
            return None
        rows = [
            [
                e(m.item),
                e(m.scores),
                e(m.consensus),
                e(m.rationale),
                e(m.by),
                e(when(m.at)) if m.at else "",
            ]
            for m in self.p.moderation
        ]
        return table(["Item", "Scores", "Consensus", "Rationale", "By", "When"], rows)

    def decision(self) -> str:
        d = self.p.decision
        notes = "".join(f'<p class="note">{e(n)}</p>' for n in self.p.decision_notes)
        if d is None:
            leader = self.rk.leader
            who = e(leader) if leader else "no vendor qualified"
            return (
                f'<p>{NO_DECISION}</p><p><span class="label">The leader:</span> {who}.</p>'
                + notes
                + SIGN_OFF
            )
        return (
            facts(
                [
                    ("Winner", d.winner),
                    ("Decided by", d.by),
                    ("Decided on", when(d.at)),
                    ("Justification", d.justification),
                ]
            )
            + notes
            + SIGN_OFF
        )

    def appendix(self, generated: dt.datetime) -> str:
        ev, p = self.ev, self.p
        rows = [
            ["Input file", e(ev.source_name or "(not named)")],
            [
                "Input SHA-256",
                f'<span class="hash">{e(ev.source_sha256 or "(not recorded)")}</span>',
            ],
        ]
        if p.audit is not None:
            a = p.audit
            rows.append(["Audit chain's last hash", f'<span class="hash">{e(a.last_hash)}</span>'])
            checked = (
                f"verified when the report was made: all {a.events} events match the chain"
                if a.ok
                else f"DOES NOT CHECK OUT: {e(a.message)}"
            )
            rows.append(["Audit chain", checked])
        elif p.audit_hash:
            rows.append(["Audit chain's last hash", f'<span class="hash">{e(p.audit_hash)}</span>'])
        rows.append(["Generated", e(when(generated))])
        rows.append(["By", f"vendor_eval {e(__version__)}"])
        out = table(["Record", "Value"], rows)
        if p.versions:
            versions = [
                [
                    str(v.seq) + (" (this report)" if v.used else ""),
                    e(v.file_name),
                    f'<span class="hash">{e(v.sha256)}</span>',
                    e(v.imported_by),
                    e(when(v.imported_at)),
                ]
                for v in p.versions
            ]
            out += "<h3>Workbook versions</h3>" + table(
                ["Version", "File", "SHA-256", "Imported by", "When"], versions
            )
        return out

    def title_page(self, title: str, generated: dt.datetime) -> str:
        d, leader = self.p.decision, self.rk.leader
        status = self.p.status or ("decided" if d else "not decided")
        who = ("Winner", d.winner) if d else ("Leader", leader or "no vendor qualified")
        name = self.p.name or self.ev.source_name
        lines = [
            *([("Evaluation", name)] if name else []),
            ("Date", when(generated)),
            ("Status", status),
            who,
            ("Vendors", f"{len(self.rk.vendors)} ({len(self.rk.qualified)} qualified)"),
        ]
        return (
            '<section class="title-page"><p class="kicker">Award report</p>'
            f"<h1>{e(title)}</h1>{facts(lines)}</section>"
        )


def _html(
    b: _Builder,
    title: str,
    generated: dt.datetime,
    sentences: Callable[[Ranking, str, str], list[str]] | None,
) -> str:
    bodies: dict[str, str | None] = {
        "goals": b.goals(),
        "panel": b.panel(),
        "method": b.method(),
        "weights": b.weights(),
        "gates": b.gates(),
        "ranking": b.ranking(),
        "vendors": b.vendors(),
        "head-to-head": b.head_to_head(sentences),
        "robustness": b.robustness(),
        "moderation": b.moderation(),
        "decision": b.decision(),
        "appendix": b.appendix(generated),
    }
    shown = [(k, SECTIONS[k], body) for k, body in bodies.items() if body is not None]
    toc = "".join(f'<li><a href="#{k}">{h}</a></li>' for k, h, _ in shown)
    parts = [
        b.title_page(title, generated),
        f'<section class="part"><nav class="toc"><h2>Contents</h2><ol>{toc}</ol></nav></section>',
        *(f'<section class="part" id="{k}"><h2>{h}</h2>{body}</section>' for k, h, body in shown),
    ]
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{e(title)}</title>'
        f"</head><body>{''.join(parts)}</body></html>"
    )


#: A page with what the report's first layout loads (bold, italic and monospace faces, a
#: table, an SVG image), laid out while Chromium starts.
_WARM_UP = (
    '<!DOCTYPE html><html><body><section class="part"><h2>a</h2><p>a <b>b</b> <i>c</i> '
    '<span class="hash">d</span></p><table><thead><tr><th>a</th></tr></thead><tbody><tr>'
    '<td class="num">1</td></tr></tbody></table><img class="chart" alt="" src="data:image/svg+xml;'
    "base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHdpZHRoPSIxMCIgaGVpZ2h0PSIx"
    'MCI+PHRleHQgeD0iMCIgeT0iOSI+YTwvdGV4dD48L3N2Zz4="></section></body></html>'
)


def _lay_out(html: str) -> bytes:
    """The PDF of ``html`` with the report's style sheet; the charts' data: URIs are the only
    resources it may load (never a file or the network)."""
    from weasyprint import CSS as WeasyCSS  # type: ignore[import-untyped]  # no stubs
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]  # no stubs

    fetcher = URLFetcher(allowed_protocols={"data"})
    pdf = HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=[WeasyCSS(string=CSS)])
    assert pdf is not None
    return bytes(pdf)


def render_report(
    evaluation: Evaluation,
    ranking: Ranking,
    sensitivity: SensitivityReport | None,
    *,
    title: str,
    generated: dt.datetime,
    project: ProjectFacts | None = None,
    figures: Mapping[str, Any] | None = None,
    sentences: Callable[[Ranking, str, str], list[str]] | None = None,
) -> AwardReport:
    """The award report and the notes of the charts that were not drawn.

    Parameters
    ----------
    evaluation, ranking, sensitivity:
        The evaluation, its ranking and its stress-test report (``None``: the robustness
        section says the tests were not run).
    title, generated:
        The report's title and the time it records.
    project:
        The project's facts; ``None`` for a plain workbook (no goals, panel or moderation
        sections; "not decided").
    figures:
        Plotly figures by name (:func:`vendor_eval.charts.award.award_figures`); each is
        drawn where its section shows it. ``None``: a report without charts.
    sentences:
        The head-to-head's plain sentences
        (:func:`vendor_eval.charts.compare.head_to_head_sentences`).
    """
    if figures and browser_starting():
        _lay_out(_WARM_UP)  # WeasyPrint's first use is slow: pay it while Chromium starts
    drawn = render_svgs(figures or {})
    b = _Builder(evaluation, ranking, sensitivity, project, drawn)
    pdf = _lay_out(_html(b, title, generated, sentences))
    notes = sorted({d.note for d in drawn.values() if d.svg is None})
    return AwardReport(pdf=pdf, chart_notes=notes)


def report_pdf(
    evaluation: Evaluation,
    ranking: Ranking,
    sensitivity: SensitivityReport | None,
    *,
    title: str,
    generated: dt.datetime,
    project: ProjectFacts | None = None,
    figures: Mapping[str, Any] | None = None,
    sentences: Callable[[Ranking, str, str], list[str]] | None = None,
) -> bytes:
    """The award report's PDF bytes (:func:`render_report`)."""
    return render_report(
        evaluation,
        ranking,
        sensitivity,
        title=title,
        generated=generated,
        project=project,
        figures=figures,
        sentences=sentences,
    ).pdf
