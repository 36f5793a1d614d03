"""ops console: pins that keep a job with a technician, and the day index the console's views use

Revision ID: c3a0c0e7e003
Revises: e746e72deac4
Create Date: 2026-12-01 23:50:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import app.models_base


revision: str = 'c3a0c0e7e003'
down_revision: Union[str, None] = 'e746e72deac4'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('job_pins',
    sa.Column('job_id', sa.Uuid(), nullable=False),
    sa.Column('technician_id', sa.Uuid(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('created_by', sa.String(length=64), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', app.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_job_pins_job_id_jobs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['technician_id'], ['technicians.id'], name=op.f('fk_job_pins_technician_id_technicians'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_pins')),
    sa.UniqueConstraint('job_id', name=op.f('uq_job_pins_job_id'))
    )
    op.create_index(op.f('ix_job_pins_technician_id'), 'job_pins', ['technician_id'], unique=False)
    op.create_index('ix_jobs_window_status', 'jobs', ['window_start', 'status'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_jobs_window_status', table_name='jobs')
    op.drop_index(op.f('ix_job_pins_technician_id'), table_name='job_pins')
    op.drop_table('job_pins')
