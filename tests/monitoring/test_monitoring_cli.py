"""``vendor-eval monitor`` and ``project monitor|monitor-import|actions``: output, JSON, the
refusals and their exit codes."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT, SAMPLE, xlsx

from vendor_eval import cli
from vendor_eval.monitoring.reading import read_monitoring
from vendor_eval.monitoring.scoring import score_monitoring

MONITORING = ROOT / "data" / "sample_monitoring.xlsx"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def ok(capsys, *argv: str) -> str:
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    return out


def test_monitor_json_is_the_scorers(capsys):
    data = json.loads(ok(capsys, "monitor", str(MONITORING), "--format", "json"))
    expected = score_monitoring(read_monitoring(MONITORING, sandbox=False)).as_json()
    assert data == json.loads(json.dumps(expected))
    north = data["vendors"]["Northwind Systems"]
    assert [a["kpi"] for a in north["actions"]] == [
        "Uptime", "Tickets resolved in SLA", "Customer satisfaction",
    ]  # fmt: skip
    october = next(p for p in north["periods"] if p["period"] == "2026-10")
    assert october["completeness"] == pytest.approx(7 / 8)  # no satisfaction survey
    # no selection workbook: nothing promised
    assert all(p["promised"] is None for p in north["promised_vs_delivered"])


def test_monitor_table_with_the_selection(capsys):
    out = ok(capsys, "monitor", str(MONITORING), "--selection", str(SAMPLE))
    assert out.startswith("sample_monitoring.xlsx — results by month\n")
    assert "Standings: Excellent ≥ 85, Good ≥ 70, Needs improvement ≥ 50, Poor ≥ 0" in out
    assert (
        "    Uptime (SLA uptime): promised 99.9 %, delivered 99.72 % (mean of the last 3 "
        "reports): 0.1833 short of the promise"
    ) in out
    assert (
        "    Uptime: opened 2026-08 after 2 periods in breach, due 2026-09-30, open, no owner"
    ) in out
    assert "  2026-08    0.0  Poor" in out
    assert "Portfolio" in out and "Northwind Systems      2026-11   63.4" in out
    assert "warning: Performance!D88 (Actual): no Actual" in out


def test_monitor_refuses_an_invalid_workbook_with_exit_2(capsys, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(
        xlsx(
            {
                "KPIs": [["KPI", "Target", "Threshold"], ["Uptime", 99.5, 99.9]],
                "Performance": [
                    ["Period", "Vendor", "KPI", "Actual"],
                    ["March", "Acme", "Uptime", 1],
                ],
            }
        )
    )
    code, out, err = run(capsys, "monitor", str(bad))
    assert code == 2 and out == ""
    assert "bad.xlsx" in err and "KPIs!C2" in err and "Performance!A2" in err


def test_monitor_with_project_refuses_a_selection_file(capsys):
    code, _, err = run(
        capsys, "monitor", str(MONITORING), "--project", "X", "--selection", str(SAMPLE)
    )
    assert code == 2
    assert "--selection is for a workbook on its own" in err


KPIS = [
    ["KPI", "Vendor", "Unit", "Direction", "Target", "Threshold", "Weight", "Criterion"],
    ["Uptime", "", "%", "higher", 99.5, 99.0, 1, "SLA uptime"],
]


@pytest.fixture
def decided(db_url, capsys, tmp_path) -> str:
    ok(capsys, "db", "upgrade", "--db", db_url)
    ok(capsys, "project", "create", "IT 2027", "--db", db_url)
    ok(capsys, "project", "import", "IT 2027", str(SAMPLE), "--db", db_url)
    ok(capsys, "project", "status", "IT 2027", "moderation", "--db", db_url)
    ok(capsys, "project", "decide", "IT 2027", "--winner", "Northwind Systems",
       "--justification", "best value", "--db", db_url)  # fmt: skip
    return db_url


def _book(tmp_path, rows) -> str:
    path = tmp_path / "results.xlsx"
    head = ["Period", "Vendor", "KPI", "Actual"]
    path.write_bytes(xlsx({"KPIs": KPIS, "Performance": [head, *rows]}))
    return str(path)


def test_project_monitoring_from_the_command_line(decided, capsys, tmp_path):
    db = decided
    rows = [[m, "Northwind Systems", "Uptime", a] for m, a in (("2026-01", 98.5), ("2026-02", 98))]
    path = _book(tmp_path, rows)
    preview = ok(capsys, "monitor", path, "--project", "it 2027", "--db", db)
    assert preview.startswith("it 2027 with results.xlsx (not stored) — results by month")
    out = ok(capsys, "project", "monitor-import", "IT 2027", path, "--db", db, "--as", "carol")
    assert out == (
        "Stored 2 results of results.xlsx in IT 2027: 2 period(s), 2026-01 to 2026-02.\n"
        "Opened a corrective action: Northwind Systems, Uptime, 2026-02 (due 2026-03-30).\n"
    )
    shown = json.loads(ok(capsys, "project", "monitor", "IT 2027", "--db", db, "--format", "json"))
    north = shown["vendors"]["Northwind Systems"]
    assert [p["score"] for p in north["periods"]] == [0.0, 0.0]
    assert north["promised_vs_delivered"][0]["promised"] == pytest.approx(99.9)
    out = ok(capsys, "project", "actions", "IT 2027", "--db", db)
    assert "Northwind Systems  Uptime  2026-02  2026-03-30  open" in out
    out = ok(capsys, "project", "actions", "IT 2027", "--kpi", "uptime", "--period", "2026-02",
             "--owner", "ops@buyer.example", "--status", "closed", "--closed", "2026-03-20",
             "--db", db, "--format", "json")  # fmt: skip
    (action,) = json.loads(out)
    assert (action["owner"], action["status"], action["closed"]) == (
        "ops@buyer.example", "closed", "2026-03-20",
    )  # fmt: skip
    history = json.loads(ok(capsys, "project", "history", "IT 2027", "--db", db, "--format",
                            "json"))  # fmt: skip
    assert [e["action"] for e in history[-2:]] == ["monitor-import", "action-update"]
    assert history[-2]["actor"] == "carol"


def test_project_monitoring_refusals(decided, capsys, tmp_path):
    db = decided
    path = _book(tmp_path, [["2026-01", "Bluepeak Digital", "Uptime", 99.0]])
    code, _out, err = run(capsys, "project", "monitor-import", "IT 2027", path, "--db", db)
    assert code == 2 and "not_awarded" not in err and "Bluepeak Digital" in err
    code, _, err = run(capsys, "project", "actions", "IT 2027", "--status", "closed", "--db", db)
    assert code == 2
    assert "say which action with --kpi and --period" in err
    code, _, err = run(capsys, "project", "actions", "IT 2027", "--kpi", "Uptime", "--period",
                       "2026-02", "--status", "done", "--db", db)  # fmt: skip
    assert code == 2 and "is not a status: use open, in progress, closed" in err
    code, _, err = run(capsys, "project", "monitor", "Nope", "--db", db)
    assert code == 2 and "Nope" in err


def test_template_monitoring_for_a_project(decided, capsys, tmp_path):
    out_path = tmp_path / "monitoring.xlsx"
    out = ok(capsys, "template", "--monitoring", str(out_path), "--project", "IT 2027",
             "--db", decided)  # fmt: skip
    assert out == f"wrote {out_path}\n"
    import openpyxl

    ws = openpyxl.load_workbook(out_path)["KPIs"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2) if r[0].value]
    assert [(r[0], r[3], r[4], r[5], r[7]) for r in rows] == [
        ("Response time", "lower", 4, 6, "Response time (hours)"),
        ("Uptime", "higher", 99.9, 99.4, "SLA uptime"),
    ]
    # the template read back with results for the winner imports as it is
    perf = openpyxl.load_workbook(out_path)
    perf["Performance"].append(["2026-01", "Northwind Systems", "Uptime", 99.95])
    perf.save(out_path)
    out = ok(capsys, "project", "monitor-import", "IT 2027", str(out_path), "--db", decided)
    assert out.startswith("Stored 1 results of monitoring.xlsx in IT 2027")


def test_template_project_needs_monitoring(capsys, tmp_path):
    code, _, err = run(capsys, "template", str(tmp_path / "t.xlsx"), "--project", "IT 2027")
    assert code == 2
    assert "--project pre-fills the monitoring workbook: give --monitoring" in err


def test_a_far_year_is_refused_with_exit_2(capsys, tmp_path):
    bad = tmp_path / "far.xlsx"
    rows = [["Period", "Vendor", "KPI", "Actual"], ["9999-11", "Acme", "Uptime", 98],
            ["9999-12", "Acme", "Uptime", 98]]  # fmt: skip
    bad.write_bytes(xlsx({"KPIs": KPIS, "Performance": rows}))
    code, out, err = run(capsys, "monitor", str(bad))
    assert code == 2 and out == ""
    assert "Performance!A2" in err and "unexpected" not in err


def test_excel_may_not_overwrite_the_selection(capsys, tmp_path):
    selection = tmp_path / "sel.xlsx"
    selection.write_bytes(SAMPLE.read_bytes())
    code, _, err = run(capsys, "monitor", str(MONITORING), "--selection", str(selection),
                       "--excel", str(selection))  # fmt: skip
    assert code == 2 and "is the selection workbook" in err
    assert selection.read_bytes() == SAMPLE.read_bytes()
