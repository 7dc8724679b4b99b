"""The award report's download on the dashboard: the quick view (and the project page,
which shows the same analysis) offers it, and it is the report of what is on screen."""

from __future__ import annotations

import io

import pypdf
import pytest
from conftest import SAMPLE, require_executable
from test_app import start

from vendor_eval.scoring.scorer import score
from vendor_eval.ui.analysis import build_report_download
from vendor_eval.workbook.importing.load import load_evaluation


def test_the_quick_view_offers_the_award_report():
    at = start()
    buttons = [b for b in at.get("download_button") if "report_download" in str(b.proto.id)
               or b.proto.label == "Award report (.pdf)"]  # fmt: skip
    assert [b.proto.label for b in buttons] == ["Award report (.pdf)"]


@pytest.mark.browser
def test_the_download_is_the_report_of_the_ranking_on_screen():
    require_executable("/usr/bin/chromium", "chromium")
    ranking = score(load_evaluation(SAMPLE))
    data = build_report_download(ranking, "sample-key", "Award report: sample_vendors.xlsx")
    assert data.startswith(b"%PDF")
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
    assert "Award report: sample_vendors.xlsx" in text
    assert ranking.qualified[0] in text
    assert "chart not drawn" not in text
