"""technicians.skill_codes: the skills held, the candidate query's first test

Revision ID: c3a0d0e7e003
Revises: c3a0c0e7e003
Create Date: 2026-12-02 00:20:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


revision: str = 'c3a0d0e7e003'
down_revision: Union[str, None] = 'c3a0c0e7e003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    pg = op.get_bind().dialect.name == "postgresql"
    if pg:
        op.add_column('technicians', sa.Column('skill_codes', postgresql.ARRAY(sa.String(length=40)),
                                               nullable=False, server_default=sa.text("'{}'")))
        op.execute("UPDATE technicians t SET skill_codes = COALESCE((SELECT array_agg(s.skill ORDER BY s.skill) "
                   "FROM technician_skills s WHERE s.technician_id = t.id), '{}')")
    else:
        # A plain ADD COLUMN: a batch (copy-and-rename) would lose SpatiaLite's registration of the
        # table's geometry columns and their spatial indexes.
        op.add_column('technicians', sa.Column('skill_codes', sa.JSON(), nullable=False,
                                               server_default=sa.text("'[]'")))
        op.execute("UPDATE technicians SET skill_codes = COALESCE((SELECT json_group_array(skill) FROM "
                   "(SELECT s.skill FROM technician_skills s WHERE s.technician_id = technicians.id "
                   "ORDER BY s.skill)), '[]')")


def downgrade() -> None:
    op.execute("ALTER TABLE technicians DROP COLUMN skill_codes")
