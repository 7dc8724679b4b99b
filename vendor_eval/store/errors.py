"""The database failures a caller may want to tell apart from "the database failed": both
are :class:`~vendor_eval.core.problems.VendorEvalError` sentences, raised by
:func:`vendor_eval.store.engine.session` when its transaction ends."""

from __future__ import annotations

from vendor_eval.core.problems import VendorEvalError


class StaleWrite(VendorEvalError):
    """An UPDATE based on an older version of a row (the optimistic lock said no): someone
    else changed it since it was read. Nothing was written."""


class DuplicateName(VendorEvalError):
    """A project name whose key (trimmed, case-folded) another project already has."""
