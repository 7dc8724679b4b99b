"""The package's public API resolves, lazily, to the real objects."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import vendor_eval


@pytest.mark.parametrize("name", sorted(vendor_eval._EXPORTS))
def test_every_public_name_resolves(name):
    obj = getattr(vendor_eval, name)
    assert obj.__name__ == name


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        vendor_eval.nope  # noqa: B018


def test_importing_the_package_does_not_import_pandas():
    code = "import sys, vendor_eval; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_end_to_end_through_the_public_api(tmp_path):
    sample = Path(__file__).resolve().parent.parent / "data" / "sample_vendors.xlsx"
    ev = vendor_eval.load_evaluation(sample)
    ranking = vendor_eval.score(ev)
    assert ranking.leader == ranking.to_frame().loc[0, "Vendor"]
    out = tmp_path / "r.xlsx"
    vendor_eval.write_export(ranking, out)
    again = vendor_eval.score(vendor_eval.load_evaluation(out))
    assert again.vendors == ranking.vendors
