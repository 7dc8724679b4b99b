"""Every dashboard cache is bounded: a count, an expiry and (where entries are large) bytes.

Streamlit's caches are shared by every user of the server; one without ``max_entries`` and a
``ttl`` keeps every upload and analysis for the life of the process.
"""

from __future__ import annotations

import importlib
import pkgutil

from streamlit.runtime.caching.cache_utils import CachedFunc

import vendor_eval.ui
from vendor_eval.ui.state import CACHE_TTL

# Caches whose entries hold a whole evaluation or ranking (their size grows with the upload);
# the Robustness tab's reports are kept small by the stress tests' size rule instead.
LARGE = {"load_cached", "score_cached", "topsis_view"}


def cached_functions() -> dict[str, CachedFunc]:
    found: dict[str, CachedFunc] = {}
    for info in pkgutil.iter_modules(vendor_eval.ui.__path__, "vendor_eval.ui."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, CachedFunc) and value._info.func.__module__ == info.name:
                found[f"{info.name}.{name}"] = value
    return found


def test_every_cache_has_max_entries_and_the_ttl():
    caches = cached_functions()
    assert {name.rsplit(".", 1)[1] for name in caches} >= LARGE | {"analyse_cached"}
    for name, f in caches.items():
        assert f._info.max_entries is not None, name
        assert f._info.ttl == CACHE_TTL, name


def test_caches_of_evaluations_have_a_byte_budget():
    for name, f in cached_functions().items():
        if name.rsplit(".", 1)[1] in LARGE:
            assert f._info.max_size_bytes is not None, name
            assert f._info.max_size_bytes <= 1024**3, name  # a budget, not a formality
