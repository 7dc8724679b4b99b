"""What ``vendor-eval db info`` shows: which database, its backend and schema revision."""

from __future__ import annotations

from typing import Any

from sqlalchemy import URL, func, select

from vendor_eval.store.engine import (
    backend,
    connect,
    display_url,
    make_engine,
    resolve_url,
    sqlite_path,
)
from vendor_eval.store.models import Project
from vendor_eval.store.schema import current_revision, head_revision, known_revisions


def database_info(url: str | URL | None = None) -> dict[str, Any]:
    """``url`` (password hidden), ``backend``, ``schema`` (current, or None when there are no
    vendor-eval tables), ``head``, ``state`` (``missing``, ``empty``, ``older``, ``current``
    or ``newer``) and ``projects`` (a count, or None unless the schema is current).

    A SQLite file that does not exist yet is reported as ``missing`` and not created.
    """
    resolved = resolve_url(url)
    info: dict[str, Any] = {
        "url": display_url(resolved),
        "backend": backend(resolved),
        "schema": None,
        "head": head_revision(),
        "state": "missing",
        "projects": None,
    }
    path = sqlite_path(resolved)
    if path is not None and not path.exists():
        return info
    engine = make_engine(resolved)
    try:
        current = current_revision(engine)
        info["schema"] = current
        if current is None:
            info["state"] = "empty"
        elif current == info["head"]:
            info["state"] = "current"
            with connect(engine) as conn:
                info["projects"] = conn.scalar(select(func.count()).select_from(Project))
        elif current in known_revisions():
            info["state"] = "older"
        else:
            info["state"] = "newer"
    finally:
        engine.dispose()
    return info
