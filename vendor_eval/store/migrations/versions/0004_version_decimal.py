"""The decimal separator a workbook version was read with: ``workbook_versions.decimal``.

``auto`` (the number convention decided from the file), ``comma`` or ``point`` (``project
import --decimal``). Versions stored by schema 0003 were read with the automatic rule, so
they get ``auto``.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workbook_versions") as batch:
        batch.add_column(
            sa.Column("decimal", sa.String(length=8), server_default="auto", nullable=False)
        )
        batch.create_check_constraint(
            op.f("ck_workbook_versions_decimal"), "decimal IN ('auto', 'comma', 'point')"
        )


def downgrade() -> None:
    with op.batch_alter_table("workbook_versions") as batch:
        batch.drop_constraint(op.f("ck_workbook_versions_decimal"), type_="check")
        batch.drop_column("decimal")
