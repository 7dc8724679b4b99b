"""Signing in with one-time codes (docs/team.md §3, team/signin.py), on both backends:
a code signs in once; used, expired, revoked codes and codes of removed members are refused
with one sentence; codes are never stored in clear; five failures lock a client for a
minute without the code being looked up; codes carry at least 128 random bits."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import re
import secrets
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from team_helpers import ANA, BO, CY, LEAD, migrated, new_project

from vendor_eval.projects.actor import Actor
from vendor_eval.projects.rules import find
from vendor_eval.store.database import Database
from vendor_eval.store.models import utc_now
from vendor_eval.team import members, signin
from vendor_eval.team.errors import SignInRefused
from vendor_eval.team.signin import INVALID, MAX_FAILURES, WINDOW, client_key, sign_in

LOCKED = re.compile(r"too many failed sign-in attempts: try again in (\d+) s")


def by_code(email: str, project: str = "p") -> Actor:
    """The actor a one-time code gives: named by the e-mail, for the code's project only."""
    return Actor(email, signed_in=True, scope=project)


@pytest.fixture
def db(db_url):
    with migrated(db_url) as db:
        yield db


def refused(db: Database, code: str, client: str = "c1", **kw) -> str:
    with pytest.raises(SignInRefused) as e:
        sign_in(db, code, client=client, **kw)
    return str(e.value)


def code_row(db: Database, code: str) -> dict:
    with db.engine.connect() as conn:
        row = conn.execute(
            text("SELECT * FROM sign_in_codes WHERE code_hash = :h"), {"h": members.code_hash(code)}
        ).mappings()
        return dict(row.one())


def attempts(db: Database, client: str) -> int:
    with db.engine.connect() as conn:
        return int(
            conn.execute(
                text("SELECT COUNT(*) FROM sign_in_attempts WHERE client_key = :k"),
                {"k": client_key(client)},
            ).scalar()
        )


# -- one code, one sign-in -----------------------------------------------------------------
def test_a_code_signs_its_member_in_once(db):
    codes = new_project(db, observers=(CY,))
    who = sign_in(db, codes[ANA].code, client="c1")
    assert (who.actor, who.project, who.role) == (by_code(ANA), "P", "evaluator")
    assert who.actor.signed_in is True
    assert code_row(db, codes[ANA].code)["used_at"] is not None
    assert refused(db, codes[ANA].code) == INVALID
    assert refused(db, codes[ANA].code, client="c2") == INVALID
    # spaces around a pasted code do not matter; the observer signs in as an observer
    assert sign_in(db, f"  {codes[CY].code}\n", client="c3").role == "observer"


def test_an_expired_code_is_refused_and_one_second_before_it_works(db):
    issued = new_project(db)[ANA]
    assert issued.expires_at - utc_now() > timedelta(days=13, hours=23)
    assert refused(db, issued.code, now=issued.expires_at + timedelta(seconds=1)) == INVALID
    assert refused(db, issued.code, now=issued.expires_at) == INVALID
    who = sign_in(db, issued.code, client="c1", now=issued.expires_at - timedelta(seconds=1))
    assert who.actor == by_code(ANA)


def test_a_code_valid_for_one_day_expires_after_one_day(db):
    new_project(db)
    issued = members.issue_code(LEAD, db, "P", ANA, days=1)
    assert refused(db, issued.code, now=issued.expires_at + timedelta(seconds=1)) == INVALID
    assert sign_in(db, issued.code, client="c1").role == "evaluator"


def test_a_new_code_revokes_the_unused_one(db):
    first = new_project(db)[ANA]
    second = members.issue_code(LEAD, db, "P", ANA)
    assert first.code != second.code
    assert code_row(db, first.code)["revoked_at"] is not None
    assert refused(db, first.code) == INVALID
    assert sign_in(db, second.code, client="c1").actor == by_code(ANA)


def test_a_removed_members_code_is_refused_even_if_its_revocation_were_undone(db):
    codes = new_project(db)
    members.remove_member(LEAD, db, "P", ANA)
    assert code_row(db, codes[ANA].code)["revoked_at"] is not None
    assert refused(db, codes[ANA].code) == INVALID
    # someone with the database clears the revocation: the member is gone all the same
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE sign_in_codes SET revoked_at = NULL"))
    assert refused(db, codes[ANA].code, client="c2") == INVALID
    assert code_row(db, codes[ANA].code)["used_at"] is None
    assert sign_in(db, codes[BO].code, client="c3").actor == by_code(BO)


def test_odd_input_is_an_invalid_code(db):
    new_project(db)
    for i, code in enumerate(["", "   ", "x" * 201, "x" * 10_000, "é" * 24, "\x00" * 24]):
        assert refused(db, code, client=f"c{i}") == INVALID, repr(code)


def test_codes_are_never_stored_in_clear(db):
    codes = [i.code for i in new_project(db, evaluators=(ANA, BO), observers=(CY,)).values()]
    codes += [members.issue_code(LEAD, db, "P", ANA).code for _ in range(3)]
    codes.append(members.add_member(LEAD, db, "P", "dee@x.org", "owner").code)
    sign_in(db, codes[-1], client="browser-session-0123456789")
    with contextlib.suppress(SignInRefused):  # revoked: refused
        sign_in(db, codes[0], client="browser-session-0123456789")
    assert len(set(codes)) == len(codes) == 7
    found: list[str] = []
    hashes: set[str] = set()
    with db.engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{table}"')).mappings():
                for column, value in row.items():
                    cell = value.decode("latin-1") if isinstance(value, bytes) else str(value)
                    found += [f"{table}.{column}" for c in codes if c in cell]
                    found += [f"{table}.{column} (client id)" for _ in [1]
                              if "browser-session-0123456789" in cell]  # fmt: skip
                    if table == "sign_in_codes" and column == "code_hash":
                        hashes.add(str(value))
    assert found == []
    assert {hashlib.sha256(c.encode()).hexdigest() for c in codes} <= hashes
    if db.engine.dialect.name == "sqlite":
        path = Path(db.engine.url.database)
        files = [p for p in path.parent.iterdir() if p.name.startswith(path.name)]
        assert path in files
        for p in files:
            raw = p.read_bytes()
            assert [c for c in codes if c.encode() in raw] == [], p.name
            assert b"browser-session-0123456789" not in raw, p.name


# -- the rate limit --------------------------------------------------------------------------
def test_a_thousand_wrong_codes_lock_the_client_after_five(db):
    codes = new_project(db)
    now = utc_now()
    said = [refused(db, secrets.token_urlsafe(18), now=now) for _ in range(1000)]
    assert said[:MAX_FAILURES] == [INVALID] * MAX_FAILURES
    waits = [LOCKED.fullmatch(m) for m in said[MAX_FAILURES:]]
    assert all(waits), {m for m in said[MAX_FAILURES:] if not LOCKED.fullmatch(m)}
    assert {int(w.group(1)) for w in waits if w} == {60}
    # while locked the code is not even looked up: no attempt is recorded
    assert attempts(db, "c1") == MAX_FAILURES
    assert signin.locked_until(db, "c1", now=now) == now + WINDOW
    # the right code from the locked client is refused, and not used up
    assert LOCKED.fullmatch(refused(db, codes[ANA].code, now=now + timedelta(seconds=30)))
    assert refused(db, codes[ANA].code, now=now + timedelta(seconds=59)) == (
        "too many failed sign-in attempts: try again in 1 s"
    )
    assert code_row(db, codes[ANA].code)["used_at"] is None
    assert attempts(db, "c1") == MAX_FAILURES
    # another client is not locked by the first one's failures
    assert refused(db, "wrong", client="c2", now=now) == INVALID
    assert sign_in(db, codes[BO].code, client="c2", now=now).actor == by_code(BO)
    # a minute after the fifth failure the lock is over
    later = now + WINDOW + timedelta(seconds=1)
    assert signin.locked_until(db, "c1", now=later) is None
    assert sign_in(db, codes[ANA].code, client="c1", now=later).actor == by_code(ANA)


def test_failures_spread_over_more_than_a_minute_do_not_lock(db):
    codes = new_project(db)
    start = utc_now()
    for i in range(3 * MAX_FAILURES):
        at = start + timedelta(seconds=20 * i)  # 3 failures a minute
        assert refused(db, "wrong", now=at) == INVALID
    at = start + timedelta(seconds=20 * 3 * MAX_FAILURES)
    assert sign_in(db, codes[ANA].code, client="c1", now=at).actor == by_code(ANA)


def test_the_lock_lasts_a_minute_after_the_fifth_failure(db):
    codes = new_project(db)
    start = utc_now()
    for i in range(MAX_FAILURES):
        refused(db, "wrong", now=start + timedelta(seconds=10 * i))
    fifth = start + timedelta(seconds=10 * (MAX_FAILURES - 1))
    assert signin.locked_until(db, "c1", now=fifth) == fifth + WINDOW
    wait = LOCKED.fullmatch(refused(db, codes[ANA].code, now=fifth + timedelta(seconds=15)))
    assert wait and int(wait.group(1)) == 45
    after = fifth + WINDOW + timedelta(seconds=1)
    assert sign_in(db, codes[ANA].code, client="c1", now=after).actor == by_code(ANA)


# -- entropy ---------------------------------------------------------------------------------
def _bits(code: str) -> int:
    assert re.fullmatch(r"[A-Za-z0-9_-]+", code), code
    return len(base64.urlsafe_b64decode(code + "=" * (-len(code) % 4))) * 8


def test_issued_codes_carry_at_least_128_random_bits(db):
    issued = new_project(db, evaluators=(ANA, BO), observers=(CY,))
    codes = [i.code for i in issued.values()]
    codes += [members.issue_code(LEAD, db, "P", BO).code for _ in range(5)]
    for code in codes:
        assert len(code) >= 22 and _bits(code) >= 128, code
    assert len(set(codes)) == len(codes)


def test_a_thousand_codes_are_all_distinct(db):
    """The generator and storage the service uses (members._new_code, one transaction:
    a thousand issue_code calls would each append an event and take half a minute)."""
    new_project(db)
    with db.write() as s:
        project = find(s, "P")
        codes = [members._new_code(s, project, ANA, 14)[0] for _ in range(1000)]
    assert len(set(codes)) == 1000
    assert min(len(c) for c in codes) >= 22 and min(_bits(c) for c in codes) >= 128
    # every character of the URL-safe alphabet turns up (not a narrow generator)
    assert len(set("".join(codes))) == 64
    # only the last is valid: each new one revoked the one before
    assert refused(db, codes[0]) == INVALID
    assert sign_in(db, codes[-1], client="c1").actor == by_code(ANA)
