"""the domain event stream

Revision ID: a1e0c0e7e001
Revises: 8e5a4c9f1b65
Create Date: 2026-12-01 20:30:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import app.models_base


revision: str = 'a1e0c0e7e001'
down_revision: Union[str, None] = '8e5a4c9f1b65'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    pg = op.get_bind().dialect.name == "postgresql"
    # The writing transaction's id orders what a reader may see (app/events/feed.py).
    tx_default = sa.text("(pg_current_xact_id()::text::bigint)") if pg else sa.text("0")
    op.create_table('events',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('tx', sa.BigInteger(), server_default=tx_default, nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('type', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('occurred_at', app.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_type', sa.String(length=20), nullable=False),
    sa.Column('actor_id', sa.String(length=64), nullable=True),
    sa.Column('client_id', sa.Uuid(), nullable=True),
    sa.Column('order_id', sa.Uuid(), nullable=True),
    sa.Column('external_order_id', sa.String(length=100), nullable=True),
    sa.Column('job_id', sa.Uuid(), nullable=True),
    sa.Column('technician_id', sa.Uuid(), nullable=True),
    sa.Column('audience', sa.JSON(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_events')),
    sa.UniqueConstraint('id', name=op.f('uq_events_id')),
    )
    op.create_index('ix_events_position', 'events', ['tx', 'seq'], unique=False)
    op.create_index('ix_events_client_position', 'events', ['client_id', 'tx', 'seq'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_events_client_position', table_name='events')
    op.drop_index('ix_events_position', table_name='events')
    op.drop_table('events')
