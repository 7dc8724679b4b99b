"""What ``db backup`` wrote or ``db restore`` read, as one sentence or JSON
(docs/projects.md §7)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["BackupSummary", "count", "size_text"]


@dataclass(frozen=True)
class BackupSummary:
    """What a backup wrote or a restore read: ``action`` is ``"backup"`` or ``"restore"``,
    ``database`` the URL with its password hidden, ``size`` the archive's bytes."""

    action: str
    path: Path
    database: str
    projects: int
    versions: int
    events: int
    size: int

    def describe(self) -> str:
        """One sentence for the terminal."""
        what = (
            f"{count(self.projects, 'project')} ({count(self.versions, 'workbook version')}, "
            f"{count(self.events, 'event')})"
        )
        if self.action == "backup":
            return f"backed up {what} from {self.database} to {self.path} ({size_text(self.size)})"
        return f"restored {what} from {self.path} into {self.database}; every audit chain verifies"

    def to_dict(self) -> dict[str, Any]:
        """The summary as JSON-ready values (``--format json``)."""
        return {"action": self.action, "path": str(self.path), "database": self.database,
                "projects": self.projects, "versions": self.versions, "events": self.events,
                "size": self.size}  # fmt: skip


def count(n: int, noun: str) -> str:
    """``1 project``, ``1,234 events``."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def size_text(n: int) -> str:
    """``900 bytes``, ``12.3 KB``, ``1.0 GB``."""
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if n >= scale:
            return f"{n / scale:,.1f} {unit}"
    return f"{n} bytes"
