"""The tables, as SQLAlchemy 2 typed ORM classes. Rows, not rules: the projects stage decides
what may change and when; this module only says what is stored.

Every time is timezone-aware UTC (:class:`UTCDateTime` refuses a naive datetime and gives
back UTC on SQLite too, which stores text). A change to a model needs an Alembic migration in
``migrations/versions/``; ``tests/store/test_store_schema.py`` fails otherwise.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    Dialect,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates
from sqlalchemy.types import TypeDecorator

from vendor_eval.workbook.schema import name_key

#: The lifecycle a project moves through, in order.
PROJECT_STATUSES = ("draft", "scoring", "moderation", "decided")
#: The length limit of a project name (and of its comparison key).
MAX_NAME_LENGTH = 200
#: The ``prev_hash`` of a project's first event, and the chain head of a project without events.
GENESIS = "0" * 64

# Deterministic constraint names: migrations and autogenerate agree on both backends.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc_now() -> datetime:
    """Now, timezone-aware UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend (naive datetimes are refused)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: store timezone-aware UTC times")
        value = value.astimezone(UTC)
        # SQLite keeps text: store it without an offset, read back as UTC below
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime}  # noqa: RUF012 — SQLAlchemy's own hook


class Project(Base):
    """An evaluation project. ``version`` is the optimistic lock: every UPDATE of the row
    increments it, and an UPDATE based on an older version fails (``StaleDataError``)."""

    __tablename__ = "projects"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'scoring', 'moderation', 'decided')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(MAX_NAME_LENGTH))
    name_key: Mapped[str] = mapped_column(String(MAX_NAME_LENGTH), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    #: JSON object text: "method", "missing", "consensus", "scenario" (absent: the workbook's
    #: own weights). Which keys and values are valid is the projects stage's rule.
    settings: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")
    #: The chain head, set by :func:`~vendor_eval.store.audit.append_event` in the event's
    #: own transaction: how many events the project has and the newest one's hash (so
    #: deleting the newest events is caught, not only editing one).
    event_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_hash: Mapped[str] = mapped_column(String(64), default=GENESIS, server_default=GENESIS)

    goals: Mapped[list[Goal]] = relationship(
        back_populates="project", order_by="Goal.position", cascade="all, delete-orphan"
    )
    workbook_versions: Mapped[list[WorkbookVersion]] = relationship(
        back_populates="project", order_by="WorkbookVersion.seq"
    )
    scenarios: Mapped[list[Scenario]] = relationship(
        back_populates="project", order_by="Scenario.name_key"
    )
    decisions: Mapped[list[Decision]] = relationship(
        back_populates="project", order_by="Decision.seq"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 — SQLAlchemy's own hook

    @validates("name")
    def _set_name_key(self, _key: str, value: str) -> str:
        """The name is stored trimmed; its key (trimmed, case-folded) is what is unique."""
        name = value.strip()
        self.name_key = name_key(name)
        return name


class Goal(Base):
    """What the outsourcing must achieve; ``position`` orders a project's goals from 1."""

    __tablename__ = "goals"
    __table_args__ = (UniqueConstraint("project_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)

    project: Mapped[Project] = relationship(back_populates="goals")


class WorkbookVersion(Base):
    """One imported workbook, stored whole; ``seq`` counts a project's versions from 1.

    ``decimal`` is how its CSV numbers were read when it was imported, and so how it is read
    again: ``auto`` (decided from the file), ``comma`` or ``point`` (``project import
    --decimal``; docs/workbook-format.md §7.1)."""

    __tablename__ = "workbook_versions"
    __table_args__ = (
        UniqueConstraint("project_id", "seq"),
        CheckConstraint("decimal IN ('auto', 'comma', 'point')", name="decimal"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    seq: Mapped[int]
    file_name: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    actor: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    decimal: Mapped[str] = mapped_column(String(8), default="auto", server_default="auto")

    project: Mapped[Project] = relationship(back_populates="workbook_versions")


class Event(Base):
    """One entry of a project's append-only audit log (see :mod:`vendor_eval.store.audit`).

    ``details`` is the canonical JSON text of a JSON object; ``hash`` chains the event to
    the one before it (``prev_hash``). On PostgreSQL a trigger refuses UPDATE and DELETE.
    """

    __tablename__ = "events"
    __table_args__ = (UniqueConstraint("project_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    seq: Mapped[int]
    time: Mapped[datetime]
    actor: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(Text)
    details: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class Scenario(Base):
    """A named set of weights saved in a project; JSON objects ``{criterion: weight}`` and
    ``{category: weight}``. Unique per project by ``name_key`` (trimmed, case-folded). A plain
    row (replaced or deleted in place): the events table is the audit log."""

    __tablename__ = "scenarios"
    __table_args__ = (UniqueConstraint("project_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    name: Mapped[str] = mapped_column(Text)
    name_key: Mapped[str] = mapped_column(String(MAX_NAME_LENGTH))
    criterion_weights: Mapped[str] = mapped_column(Text, default="{}")
    category_weights: Mapped[str] = mapped_column(Text, default="{}")
    actor: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)

    project: Mapped[Project] = relationship(back_populates="scenarios")

    @validates("name")
    def _set_name_key(self, _key: str, value: str) -> str:
        name = value.strip()
        self.name_key = name_key(name)
        return name


class Decision(Base):
    """A recorded decision: ``seq`` counts a project's decisions from 1 (a reopen and a new
    decision add one). ``ranking`` and ``report`` are the canonical JSON of the frozen
    ``Ranking.to_records()`` and ``SensitivityReport.to_dict()`` it was based on;
    ``status_before`` is the status a reopen restores. The reopen columns stay empty until
    the decision is reopened."""

    __tablename__ = "decisions"
    __table_args__ = (UniqueConstraint("project_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    seq: Mapped[int]
    winner: Mapped[str] = mapped_column(Text)
    justification: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    version_seq: Mapped[int]
    version_sha256: Mapped[str] = mapped_column(String(64))
    status_before: Mapped[str] = mapped_column(String(16))
    ranking: Mapped[str] = mapped_column(Text, deferred=True)
    report: Mapped[str] = mapped_column(Text, deferred=True)
    reopened_at: Mapped[datetime | None]
    reopen_reason: Mapped[str | None] = mapped_column(Text)
    reopened_by: Mapped[str | None] = mapped_column(Text)

    project: Mapped[Project] = relationship(back_populates="decisions")


class SignInCode(Base):
    """A one-time sign-in code of a project member (docs/team.md §3), kept only as the
    SHA-256 of the code: the code itself is shown once, when it is issued, and never
    stored. Used, expired or revoked codes are refused; a row is a secret's trace, not
    project state, so codes are not part of the audit log's replay nor of a backup."""

    __tablename__ = "sign_in_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    email_key: Mapped[str] = mapped_column(String(MAX_NAME_LENGTH))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class SignInAttempt(Base):
    """One sign-in attempt of one client (a browser session): the rate limit counts the
    failed ones of the last minute, in the database so that every app process sees them."""

    __tablename__ = "sign_in_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_key: Mapped[str] = mapped_column(String(64), index=True)
    time: Mapped[datetime]
    ok: Mapped[bool]
