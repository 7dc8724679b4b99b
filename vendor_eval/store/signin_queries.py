"""The sign-in tables' statements (docs/team.md §3): one-time codes, kept as hashes, and the
attempts the rate limit counts. Rows, not rules: :mod:`vendor_eval.team.signin` and
:mod:`vendor_eval.team.members` decide."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from vendor_eval.store.models import SignInAttempt, SignInCode

__all__ = ["add_attempt", "add_code", "code_by_hash", "codes_of", "failed_attempts", "revoke_codes"]


def add_code(
    s: Session, project_id: int, *, email_key: str, code_hash: str, expires_at: datetime
) -> SignInCode:
    """A new sign-in code row (its hash only)."""
    row = SignInCode(
        project_id=project_id, email_key=email_key, code_hash=code_hash, expires_at=expires_at
    )
    s.add(row)
    s.flush()
    return row


def code_by_hash(s: Session, code_hash: str) -> SignInCode | None:
    """The code row whose hash is ``code_hash`` (locked: it is about to be used), or None."""
    return s.scalars(
        select(SignInCode).where(SignInCode.code_hash == code_hash).with_for_update()
    ).one_or_none()


def revoke_codes(s: Session, project_id: int, email_key: str, now: datetime) -> int:
    """Revoke every unused, unrevoked code of one member; how many."""
    rows = s.scalars(
        select(SignInCode).where(
            SignInCode.project_id == project_id,
            SignInCode.email_key == email_key,
            SignInCode.used_at.is_(None),
            SignInCode.revoked_at.is_(None),
        )
    ).all()
    for row in rows:
        row.revoked_at = now
    s.flush()
    return len(rows)


def codes_of(s: Session, project_id: int) -> list[SignInCode]:
    """The project's code rows, oldest first (hashes and dates only)."""
    return list(
        s.scalars(
            select(SignInCode).where(SignInCode.project_id == project_id).order_by(SignInCode.id)
        )
    )


def failed_attempts(s: Session, client_key: str, since: datetime) -> list[datetime]:
    """The times of the client's failed sign-in attempts since ``since``, oldest first."""
    return list(
        s.scalars(
            select(SignInAttempt.time)
            .where(
                SignInAttempt.client_key == client_key,
                SignInAttempt.time >= since,
                SignInAttempt.ok.is_(False),
            )
            .order_by(SignInAttempt.time)
        )
    )


def add_attempt(s: Session, client_key: str, time: datetime, *, ok: bool) -> None:
    """Record one sign-in attempt; attempts older than an hour are pruned."""
    s.add(SignInAttempt(client_key=client_key, time=time, ok=ok))
    s.execute(delete(SignInAttempt).where(SignInAttempt.time < time - timedelta(hours=1)))
    s.flush()
