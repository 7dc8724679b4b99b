"""Migrations on both backends: empty → head, models and migrations agree, and a schema
that is not exactly this code's is refused until `db upgrade` (or a newer vendor-eval)."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from vendor_eval.core.problems import VendorEvalError
from vendor_eval.store import schema
from vendor_eval.store.engine import connect, make_engine
from vendor_eval.store.models import Base

TABLES = {
    "projects",
    "goals",
    "workbook_versions",
    "events",
    "scenarios",
    "decisions",
    "sign_in_codes",
    "sign_in_attempts",
    "alembic_version",
}


@pytest.fixture
def engine(db_url):
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


def test_upgrade_an_empty_database_to_head(engine):
    assert schema.current_revision(engine) is None
    before, after = schema.upgrade(engine)
    assert (before, after) == (None, schema.head_revision())
    assert schema.current_revision(engine) == schema.head_revision()
    assert set(inspect(engine).get_table_names()) == TABLES
    assert schema.check_schema(engine) == schema.head_revision()
    # a second upgrade changes nothing
    assert schema.upgrade(engine) == (schema.head_revision(), schema.head_revision())


def test_every_model_change_has_a_migration(engine):
    """Autogenerate against the migrated database finds nothing to do: a model changed
    without a migration in store/migrations/versions/ fails here."""
    schema.upgrade(engine)
    with connect(engine) as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_the_migrations_form_one_line(engine):
    scripts = schema._scripts()
    assert len(scripts.get_heads()) == 1
    assert schema.known_revisions() >= {schema.head_revision()}


def test_an_empty_database_is_refused_until_upgraded(engine):
    with pytest.raises(VendorEvalError, match=r"no vendor-eval tables.*`vendor-eval db upgrade`"):
        schema.check_schema(engine)
    assert schema.current_revision(engine) is None  # checking upgrades nothing


def test_a_newer_schema_is_refused(engine):
    schema.upgrade(engine)
    with connect(engine) as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(VendorEvalError) as e:
        schema.check_schema(engine)
    assert "was written by a newer vendor-eval (schema 9999_future" in str(e.value)
    assert str(e.value).endswith("upgrade vendor-eval")
    with pytest.raises(VendorEvalError, match="newer vendor-eval"):
        schema.upgrade(engine)  # never downgraded or overwritten
    assert schema.current_revision(engine) == "9999_future"


def test_an_older_schema_is_refused_until_upgraded(engine, monkeypatch):
    schema.upgrade(engine)
    real_head = schema.head_revision()
    # this code pretends to know one more revision than the database has
    monkeypatch.setattr(schema, "head_revision", lambda: "0002_next")
    monkeypatch.setattr(schema, "known_revisions", lambda: {real_head, "0002_next"})
    with pytest.raises(VendorEvalError) as e:
        schema.check_schema(engine)
    assert f"older schema ({real_head}" in str(e.value)
    assert "needs `vendor-eval db upgrade`" in str(e.value)
    monkeypatch.undo()
    assert schema.check_schema(engine) == real_head


def test_password_is_hidden_in_schema_messages(postgres_url):
    engine = make_engine(postgres_url)
    try:
        with pytest.raises(VendorEvalError) as e:
            schema.check_schema(engine)
    finally:
        engine.dispose()
    password = engine.url.password
    assert password and f":{password}@" not in str(e.value)
    assert "***" in str(e.value)


def test_the_diff_check_sees_a_model_change_without_migration(engine):
    """The check above is not vacuous: a column only the models have shows up."""
    from sqlalchemy import Column, Integer, MetaData

    schema.upgrade(engine)
    changed = MetaData(naming_convention=Base.metadata.naming_convention)
    for table in Base.metadata.tables.values():
        table.to_metadata(changed)
    changed.tables["projects"].append_column(Column("extra", Integer, nullable=True))
    with connect(engine) as conn:
        diff = compare_metadata(MigrationContext.configure(conn), changed)
    assert [d[0] for d in diff] == ["add_column"]
