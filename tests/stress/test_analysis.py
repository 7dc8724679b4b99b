"""analyse(): the report, the verdict sentence, method agreement, JSON and the CLI."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import SAMPLE, make_evaluation, random_evaluation

from vendor_eval.cli import main
from vendor_eval.core.model import Criterion, Direction, MustRule, Scale
from vendor_eval.core.problems import VendorEvalError
from vendor_eval.output.text import format_report
from vendor_eval.scoring.scorer import score
from vendor_eval.stress import analysis
from vendor_eval.stress.analysis import analyse, kendall_tau_b
from vendor_eval.workbook.importing.load import load_evaluation


def unit(name: str, weight: float = 1.0, must: MustRule | None = None) -> Criterion:
    return Criterion(name, "General", weight, Direction.HIGHER, Scale.ABSOLUTE, 0.0, 1.0, must=must)


def test_kendall_tau_b_hand_computed():
    assert kendall_tau_b([1, 2, 3, 4], [1, 2, 3, 4]) == 1.0
    assert kendall_tau_b([1, 2, 3, 4], [4, 3, 2, 1]) == -1.0
    assert kendall_tau_b([1, 2, 3], [1, 3, 2]) == pytest.approx(1 / 3)
    # Ties: S = 5, n0 = 6, one pair tied in x → 5 / sqrt(5 · 6) (scipy: 0.9128709).
    assert kendall_tau_b([1, 2, 2, 3], [1, 2, 3, 4]) == pytest.approx(0.9128709, abs=1e-7)
    assert kendall_tau_b([1], [1]) is None
    assert kendall_tau_b([1, 1], [1, 2]) is None


def test_dominant_vendor_verdict():
    ev = make_evaluation({"A": [0.9, 0.5, 0.1], "B": [0.8, 0.2, 0.3]}, [unit("A", 2), unit("B", 1)])
    rep = analyse(ev, samples=2000)
    assert rep.leader == "V1"
    assert rep.p_first == {"V1": 1.0, "V2": 0.0, "V3": 0.0}
    assert rep.verdict == (
        "V1 ranks first in 100% of weight samples and under both methods; "
        "no single weight change, however large, takes its lead."
    )
    assert all(c.threshold is None for c in rep.critical)
    assert rep.methods == {
        "V1": {"wsm_rank": 1, "topsis_rank": 1},
        "V2": {"wsm_rank": 2, "topsis_rank": 2},
        "V3": {"wsm_rank": 3, "topsis_rank": 3},
    }
    assert rep.kendall_tau == 1.0


def test_close_call_reads_as_one():
    # V1 = 51, V2 = 50 at equal weights; κ = 100 moves the weights by about ±0.05, and
    # V1 leads when A's share w > 0.5/1.02: P = Φ(0.0098/0.0497) ≈ 0.58 — a coin toss.
    ev = make_evaluation({"A": [0.52, 0.0], "B": [0.5, 1.0]}, [unit("A"), unit("B")])
    ev = ev.with_weights({"A": 1.0, "B": 1.0})
    rep = analyse(ev, samples=10_000, seed=3)
    assert rep.leader == "V1"
    assert rep.p_first["V1"] == pytest.approx(0.578, abs=0.02)
    assert rep.verdict.startswith("Close call: V1 ranks first in only ")
    # V1 = 52t + 50(1 − t) vs V2 = 100(1 − t): they cross at t = 50/102 (A's share).
    a = next(c for c in rep.critical if c.factor == "A")
    assert a.threshold == pytest.approx(50 / 102)
    assert a.new_leader == "V2"
    # The change is 0.5 − 50/102 = 0.0098: rounded down, so the sentence stays true (a change
    # of 0.0099 < 0.01 already flips the lead).
    assert "smaller than 0.009 (A, which would put V2 first)" in rep.verdict


def test_tie_for_first_is_a_close_call():
    ev = make_evaluation({"A": [1.0, 0.0], "B": [0.0, 1.0]}, [unit("A"), unit("B")])
    rep = analyse(ev, samples=1000)
    # Both tied vendors' chances are given, and TOPSIS's view of the tie.
    p1, p2 = rep.p_first["V1"], rep.p_first["V2"]
    assert p1 == pytest.approx(0.5, abs=0.05) and p1 + p2 == pytest.approx(1.0)
    assert rep.verdict == (
        f"Close call: V1 and V2 tie for first place (first in {p1:.0%} and {p2:.0%} of weight "
        "samples); TOPSIS ties them too; the slightest change in the weight of A hands the "
        "lead to V2."
    )


def test_tie_where_topsis_picks_one():
    # WSM: V1 = V2 = 50; TOPSIS prefers the balanced V2 over the lopsided V1.
    ev = make_evaluation({"A": [1.0, 0.5, 0.0], "B": [0.0, 0.5, 0.0]}, [unit("A"), unit("B")])
    assert score(ev, "topsis").leader == "V2"
    rep = analyse(ev, samples=1000)
    assert "tie for first place (first in " in rep.verdict
    assert "; TOPSIS puts V2 first; the slightest change in the weight of A" in rep.verdict


def test_identical_leaders_tie_forever():
    ev = make_evaluation({"A": [0.5, 0.5, 0.1], "B": [0.7, 0.7, 0.2]}, [unit("A"), unit("B")])
    rep = analyse(ev, samples=1000)
    assert rep.p_first == {"V1": 1.0, "V2": 1.0, "V3": 0.0}
    assert rep.verdict == (
        "Close call: V1 and V2 tie for first place (first in 100% and 100% of weight samples); "
        "TOPSIS ties them too; no single weight change puts another vendor ahead of V1."
    )


def test_a_rounding_error_is_no_lead():
    # 94.9 typed beside =80.3+14.6 (both show 94.9) once scored 87.5 vs 37.5 and the verdict
    # called B robust; the two rates are one value (docs/scoring.md §4.6): A and B tie
    rate = Criterion("Rate", "Cost", 3.0, Direction.LOWER)
    crit = [rate, Criterion("Quality", "Quality", 1.0, scale=Scale.ABSOLUTE, min=1, max=5)]
    ev = make_evaluation({"Rate": [94.9, 80.3 + 14.6, 94.9], "Quality": [4, 4, 3]}, crit,
                         vendors=["A", "B", "C"])  # fmt: skip
    rep = analyse(ev, samples=500)
    assert rep.methods["A"]["wsm_rank"] == rep.methods["B"]["wsm_rank"] == 1
    assert rep.p_first["A"] == rep.p_first["B"] == 1.0
    assert rep.verdict.startswith("Close call: A and B tie for first place")
    assert "B ranks first" not in rep.verdict


def test_no_qualified_vendor():
    rule = MustRule(">=", 0.9, ">= 0.9")
    ev = make_evaluation({"A": [0.5, 0.2], "B": [0.5, 0.5]}, [unit("A", must=rule), unit("B")])
    rep = analyse(ev, samples=100)
    assert rep.leader is None
    assert rep.verdict.startswith("No vendor qualifies")
    assert rep.p_first == {} and rep.critical == [] and rep.disqualified == ["V1", "V2"]
    assert "No vendor qualifies" in format_report(rep)
    json.dumps(rep.to_dict())


def test_single_qualified_vendor():
    rule = MustRule(">=", 0.4, ">= 0.4")
    ev = make_evaluation({"A": [0.5, 0.2], "B": [0.1, 0.9]}, [unit("A", must=rule), unit("B")])
    rep = analyse(ev, samples=100)
    assert rep.verdict == (
        "V1 is the only qualified vendor, so no choice of weights can change the winner."
    )
    assert rep.rank_probabilities == {"V1": [1.0]}
    assert rep.disqualified == ["V2"]


def test_exclude_policy_reports_topsis_unavailable():
    ev = make_evaluation({"A": [0.9, None, 0.2], "B": [0.8, 0.6, 0.1]}, [unit("A"), unit("B")])
    rep = analyse(ev, samples=500, missing="exclude")
    assert rep.topsis_leader is None and rep.kendall_tau is None
    assert rep.methods_note.startswith("TOPSIS not available")
    assert all(m["topsis_rank"] is None for m in rep.methods.values())
    assert "(TOPSIS cannot be compared when missing values are excluded)" in rep.verdict


def test_methods_disagree_is_said():
    # WSM: V1 = 55, V2 = 50; TOPSIS puts V2 (balanced) first against V1 (lopsided).
    ev = make_evaluation({"A": [1.0, 0.5, 0.0], "B": [0.1, 0.5, 0.0]}, [unit("A"), unit("B")])
    wsm, topsis = score(ev, "wsm"), score(ev, "topsis")
    assert wsm.leader == "V1" and topsis.leader == "V2"
    rep = analyse(ev, samples=500)
    assert rep.verdict.startswith("Close call: V1 ranks first in ")
    assert ", but TOPSIS puts V2 first;" in rep.verdict
    assert rep.methods["V1"] == {"wsm_rank": 1, "topsis_rank": topsis.rank("V1")}


def test_report_dict_is_json_ready_and_complete():
    ev = random_evaluation(np.random.default_rng(4), n_vendors=6, n_criteria=7, missing_rate=0.1)
    rep = analyse(ev, samples=1000, seed=5, kappa=50)
    d = json.loads(json.dumps(rep.to_dict()))
    for key in (
        "leader",
        "verdict",
        "p_first",
        "rank_probabilities",
        "critical",
        "methods",
        "kendall_tau",
        "samples",
        "seed",
        "kappa",
    ):
        assert key in d
    assert d["samples"] == 1000 and d["seed"] == 5 and d["kappa"] == 50.0
    for probs in d["rank_probabilities"].values():
        assert sum(probs) == pytest.approx(1.0)
    assert set(d["critical"][0]) == {
        "factor",
        "kind",
        "current",
        "threshold",
        "new_leader",
        "change",
    }
    assert {c["kind"] for c in d["critical"]} == {"category", "criterion"}
    # Category sweeps cover [0, 1].
    for s in d["sweeps"].values():
        assert s["intervals"][0]["from"] == 0.0 and s["intervals"][-1]["to"] == 1.0
    # Same seed, same report.
    assert analyse(ev, samples=1000, seed=5, kappa=50).to_dict() == rep.to_dict()


def test_uniform_sampling_is_recorded():
    ev = make_evaluation({"A": [0.9, 0.5], "B": [0.1, 0.6]}, [unit("A"), unit("B")])
    rep = analyse(ev, samples=500, kappa=None)
    assert rep.to_dict()["kappa"] is None and rep.to_dict()["weights"] == "uniform"
    # Uniform A-share w: V1 = 0.1 + 0.8w beats V2 = 0.6 − 0.1w when w > 5/9.
    assert rep.p_first["V1"] == pytest.approx(4 / 9, abs=0.07)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"samples": 0}, "samples must be between 1 and 1,000,000, not 0"),
        ({"samples": 2.5}, "samples must be a whole number, not 2.5"),
        ({"kappa": -1}, "kappa must be a positive number, not -1.0"),
        ({"kappa": "x"}, "kappa must be a positive number, not 'x'"),
        ({"seed": -2}, "seed must be a whole number ≥ 0, not -2"),
        ({"missing": "skip"}, "missing: 'skip' is not one of 'worst', 'mean', 'exclude'"),
    ],
)
def test_bad_options_are_plain_errors(options, message):
    ev = make_evaluation({"A": [0.9, 0.5]}, [unit("A")])
    with pytest.raises(VendorEvalError) as e:
        analyse(ev, **options)
    assert str(e.value) == message


def test_cli_json_on_the_sample(capsys):
    code = main(["sensitivity", str(SAMPLE), "--format", "json", "--samples", "2000"])
    out = capsys.readouterr().out
    assert code == 0
    d = json.loads(out)
    ranking = score(load_evaluation(SAMPLE))
    assert d["leader"] == ranking.leader
    assert d["verdict"].count(ranking.leader) >= 1
    assert set(d["p_first"]) == set(ranking.qualified)
    assert sum(d["p_first"].values()) == pytest.approx(1.0)
    assert d["critical"] and all(c["kind"] in ("category", "criterion") for c in d["critical"])


def test_cli_says_when_the_shortlist_is_too_large_for_the_full_analysis(capsys, monkeypatch):
    monkeypatch.setattr(analysis, "FULL_ANALYSIS_MAX", 3)
    assert main(["sensitivity", str(SAMPLE), "--samples", "300", "--format", "json"]) == 0
    out = capsys.readouterr()
    d = json.loads(out.out)
    n = len(d["p_first"])
    assert n > 3
    assert (
        f"note: This shortlist has {n} qualified vendors, too many for the full stress tests "
        "(limit 3): showing the leader-only analysis — each vendor's chance of ranking first"
    ) in out.err
    assert d["leader_only"] is True
    assert d["rank_probabilities"] == {} and d["sweeps"] == {} and d["kendall_tau"] is None
    assert main(["sensitivity", str(SAMPLE), "--samples", "300"]) == 0  # the table too
    assert "too many for the full stress tests" in capsys.readouterr().err


def test_cli_full_analysis_says_nothing_about_size(capsys):
    assert main(["sensitivity", str(SAMPLE), "--samples", "300", "--format", "json"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out)["leader_only"] is False
    assert "too many" not in out.err


@pytest.mark.slow
def test_cli_sensitivity_of_two_thousand_vendors_is_bounded(tmp_path, capsys):
    # a generated CSV: 2,000 vendors × 60 criteria, the CLI's default 10,000 samples; the
    # full analysis took 10 s and 240 MB here (17 GB at 10,000 vendors)
    import tracemalloc

    rng = np.random.default_rng(0)
    m, n = 60, 2000
    crit = ["Criterion,Category,Weight,Direction"]
    crit += [f"K{j},Cat{j % 7},{1 + j % 9},{'lower' if j % 5 == 0 else 'higher'}" for j in range(m)]
    (tmp_path / "criteria.csv").write_text("\n".join(crit) + "\n")
    rows = ["Vendor," + ",".join(f"K{j}" for j in range(m))]
    rows += [
        f"Vendor {i}," + ",".join(f"{v:.2f}" for v in rng.normal(100, 30, m)) for i in range(n)
    ]
    (tmp_path / "vendors.csv").write_text("\n".join(rows) + "\n")
    args = [
        "sensitivity",
        str(tmp_path / "vendors.csv"),
        "--criteria",
        str(tmp_path / "criteria.csv"),
    ]
    tracemalloc.start()
    try:
        code = main(args)
        mb = tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()
    out = capsys.readouterr()
    assert code == 0, out.err
    assert mb < 120, f"{mb:.0f} MB"
    assert "This shortlist has 2,000 qualified vendors, too many for the full" in out.err
    assert "Critical weight changes" in out.out


def test_cli_table_uniform_and_bad_samples(capsys):
    assert main(["sensitivity", str(SAMPLE), "--uniform", "--samples", "500"]) == 0
    out = capsys.readouterr().out
    assert "uniform (no preference)" in out and "Critical weight changes" in out
    assert main(["sensitivity", str(SAMPLE), "--samples", "0"]) == 2
    assert "--samples must be at least 1" in capsys.readouterr().err


def test_verdict_rounds_the_critical_change_down():
    # A's share 0.5 → V1 = 50, V2 = 38.1; they cross at A's share 0.381 (and B's at 0.619),
    # a change of 0.119. "Survives any change smaller than 0.12" would be false.
    ev = make_evaluation({"A": [0.9, 0.281], "B": [0.1, 0.481]}, [unit("A"), unit("B")])
    rep = analyse(ev, samples=1000)
    assert rep.critical[0].change == pytest.approx(-0.119)
    assert rep.verdict.endswith(
        "its lead survives any single weight change smaller than 0.11 (A, which would put V2 "
        "first)."
    )


def test_sample_verdict_names_the_close_call_topsis_and_the_withdrawal():
    from vendor_eval.workbook.importing.load import load_evaluation

    ev = load_evaluation(SAMPLE)
    wsm, topsis = score(ev, "wsm"), score(ev, "topsis")
    rep = analyse(ev, samples=2000)
    # On the bundled sample the hourly rate is a ratio-scored price: WSM puts Quillstone
    # first by half a point, TOPSIS (price as a plain lower-is-better criterion) Northwind,
    # and the lowest bidder's withdrawal hands Northwind the win: a close call, all said.
    assert wsm.leader == rep.leader == "Quillstone Consulting"
    assert topsis.leader == rep.topsis_leader == "Northwind Systems"
    assert rep.verdict.startswith("Close call: Quillstone Consulting ranks first in ")
    assert "(Northwind Systems in " in rep.verdict
    assert "but TOPSIS puts Northwind Systems first;" in rep.verdict
    assert rep.verdict.endswith("if Meridian Byteworks withdrew, Northwind Systems would win.")
    assert [w.withdrawn for w in rep.withdrawal if w.changes_leader] == ["Meridian Byteworks"]
    assert rep.methods == {
        v: {"wsm_rank": wsm.rank(v), "topsis_rank": topsis.rank(v)} for v in wsm.qualified
    }
    assert rep.kendall_tau == pytest.approx(
        kendall_tau_b([wsm.rank(v) for v in wsm.qualified], [topsis.rank(v) for v in wsm.qualified])
    )
    text = format_report(rep)
    for v in wsm.qualified:
        assert any(
            line.split() == [*v.split(), str(wsm.rank(v)), str(topsis.rank(v))]
            for line in text.splitlines()
        ), v


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--kappa", "-1"],
            "--kappa must be a positive number (larger = closer to your weights), not -1",
        ),
        (
            ["--kappa", "0"],
            "--kappa must be a positive number (larger = closer to your weights), not 0",
        ),
        (
            ["--kappa", "nan"],
            "--kappa must be a positive number (larger = closer to your weights), not nan",
        ),
        (["--samples", "0"], "--samples must be at least 1"),
        (["--seed", "-3"], "--seed must be 0 or more"),
    ],
)
def test_cli_bad_options_fail_before_reading_the_workbook(args, message, capsys, tmp_path):
    # The workbook does not exist: the option is reported first, plainly, with exit code 2.
    code = main(["sensitivity", str(tmp_path / "missing.xlsx"), *args])
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip() == f"error: {message}"
    assert "Traceback" not in err


def test_cli_options_reach_the_report(capsys):
    args = ["sensitivity", str(SAMPLE), "--format", "json", "--samples", "300", "--seed", "4"]
    assert main([*args, "--kappa", "25"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert (d["samples"], d["seed"], d["kappa"], d["weights"]) == (300, 4, 25.0, "dirichlet")
    assert all(len(p) == len(d["p_first"]) for p in d["rank_probabilities"].values())
    assert {"factor", "kind", "current", "threshold", "new_leader"} <= set(d["critical"][0])
    assert main([*args, "--uniform"]) == 0
    u = json.loads(capsys.readouterr().out)
    assert (u["kappa"], u["weights"]) == (None, "uniform")
    assert u["p_first"] != d["p_first"]


def test_cli_exclude_says_topsis_agreement_is_unavailable(capsys):
    args = ["sensitivity", str(SAMPLE), "--samples", "300", "--missing", "exclude"]
    assert main([*args, "--format", "json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["missing"] == "exclude" and d["kendall_tau"] is None and d["topsis_leader"] is None
    assert all(m["topsis_rank"] is None for m in d["methods"].values())
    assert d["methods_note"] == (
        "TOPSIS not available: TOPSIS cannot exclude missing values; use --missing worst or mean"
    )
    assert "(TOPSIS cannot be compared when missing values are excluded)" in d["verdict"]
    assert main(args) == 0
    assert "TOPSIS not available: TOPSIS cannot exclude missing values" in capsys.readouterr().out
