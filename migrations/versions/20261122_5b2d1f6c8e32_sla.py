"""sla tables

Revision ID: 5b2d1f6c8e32
Revises: 4a1c0e5b7d21
Create Date: 2026-11-22 15:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import app.models_base


revision: str = '5b2d1f6c8e32'
down_revision: Union[str, None] = '4a1c0e5b7d21'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('sla_breaches',
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('subject_id', sa.Uuid(), nullable=False),
    sa.Column('sla_code', sa.String(length=80), nullable=False),
    sa.Column('due_at', app.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('detected_at', app.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('job_id', sa.Uuid(), nullable=True),
    sa.Column('technician_id', sa.Uuid(), nullable=True),
    sa.Column('client_id', sa.Uuid(), nullable=True),
    sa.Column('city', sa.String(length=40), nullable=True),
    sa.Column('node_code', sa.String(length=80), nullable=True),
    sa.Column('title_zh', sa.String(length=200), nullable=True),
    sa.Column('title_en', sa.String(length=200), nullable=True),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', app.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_sla_breaches_client_id_clients')),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_sla_breaches_job_id_jobs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['technician_id'], ['technicians.id'], name=op.f('fk_sla_breaches_technician_id_technicians')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sla_breaches')),
    sa.UniqueConstraint('kind', 'subject_id', 'sla_code', name=op.f('uq_sla_breaches_kind_subject_id_sla_code'))
    )
    op.create_index(op.f('ix_sla_breaches_city'), 'sla_breaches', ['city'], unique=False)
    op.create_index(op.f('ix_sla_breaches_client_id'), 'sla_breaches', ['client_id'], unique=False)
    op.create_index('ix_sla_breaches_created', 'sla_breaches', ['created_at', 'id'], unique=False)
    op.create_index(op.f('ix_sla_breaches_detected_at'), 'sla_breaches', ['detected_at'], unique=False)
    op.create_index(op.f('ix_sla_breaches_job_id'), 'sla_breaches', ['job_id'], unique=False)
    op.create_index(op.f('ix_sla_breaches_node_code'), 'sla_breaches', ['node_code'], unique=False)
    op.create_index(op.f('ix_sla_breaches_technician_id'), 'sla_breaches', ['technician_id'], unique=False)


def downgrade() -> None:
    # Dropping the table drops its indexes with it.
    op.drop_table('sla_breaches')
