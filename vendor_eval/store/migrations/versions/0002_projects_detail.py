"""Projects in detail: settings and the chain head on projects; weight scenarios; decisions.

``projects.event_count`` and ``projects.last_hash`` are filled from the events a project
already has, so the head check holds for projects written by schema 0001.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

GENESIS = "0" * 64


def upgrade() -> None:
    op.add_column("projects", sa.Column("settings", sa.Text(), server_default="{}", nullable=False))
    op.add_column(
        "projects", sa.Column("event_count", sa.Integer(), server_default="0", nullable=False)
    )
    op.add_column(
        "projects",
        sa.Column("last_hash", sa.String(length=64), server_default=GENESIS, nullable=False),
    )
    op.execute(
        "UPDATE projects SET "
        "event_count = (SELECT COUNT(*) FROM events WHERE events.project_id = projects.id), "
        "last_hash = COALESCE((SELECT events.hash FROM events "
        "WHERE events.project_id = projects.id ORDER BY events.seq DESC LIMIT 1), "
        f"'{GENESIS}')"
    )
    op.create_table(
        "scenarios",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("criterion_weights", sa.Text(), nullable=False),
        sa.Column("category_weights", sa.Text(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_scenarios_project_id_projects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scenarios")),
        sa.UniqueConstraint(
            "project_id", "name_key", name=op.f("uq_scenarios_project_id_name_key")
        ),
    )
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("winner", sa.Text(), nullable=False),
        sa.Column("justification", sa.Text(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version_seq", sa.Integer(), nullable=False),
        sa.Column("version_sha256", sa.String(length=64), nullable=False),
        sa.Column("status_before", sa.String(length=16), nullable=False),
        sa.Column("ranking", sa.Text(), nullable=False),
        sa.Column("report", sa.Text(), nullable=False),
        sa.Column("reopened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reopen_reason", sa.Text(), nullable=True),
        sa.Column("reopened_by", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_decisions_project_id_projects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decisions")),
        sa.UniqueConstraint("project_id", "seq", name=op.f("uq_decisions_project_id_seq")),
    )


def downgrade() -> None:
    op.drop_table("decisions")
    op.drop_table("scenarios")
    with op.batch_alter_table("projects") as batch:
        batch.drop_column("last_hash")
        batch.drop_column("event_count")
        batch.drop_column("settings")
