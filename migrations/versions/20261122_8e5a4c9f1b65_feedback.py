"""feedback tables

Revision ID: 8e5a4c9f1b65
Revises: 7d4f3b8e0a54
Create Date: 2026-11-22 15:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import geoalchemy2
import app.models_base


revision: str = '8e5a4c9f1b65'
down_revision: Union[str, None] = '7d4f3b8e0a54'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('job_ratings',
    sa.Column('job_id', sa.Uuid(), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('technician_id', sa.Uuid(), nullable=True),
    sa.Column('stars', sa.Integer(), nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', app.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('stars >= 1 AND stars <= 5', name=op.f('ck_job_ratings_stars_range')),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_job_ratings_job_id_jobs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_job_ratings_order_id_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['technician_id'], ['technicians.id'], name=op.f('fk_job_ratings_technician_id_technicians'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_ratings')),
    sa.UniqueConstraint('job_id', name=op.f('uq_job_ratings_job_id'))
    )
    op.create_index(op.f('ix_job_ratings_order_id'), 'job_ratings', ['order_id'], unique=False)
    op.create_index('ix_job_ratings_technician_created', 'job_ratings', ['technician_id', 'created_at', 'id'], unique=False)

    op.create_table('complaint_tickets',
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('job_id', sa.Uuid(), nullable=True),
    sa.Column('technician_id', sa.Uuid(), nullable=True),
    sa.Column('client_id', sa.Uuid(), nullable=True),
    sa.Column('city', sa.String(length=40), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('severity', sa.String(length=10), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('assignee_id', sa.Uuid(), nullable=True),
    sa.Column('first_response_due_at', app.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('resolution_due_at', app.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('first_response_at', app.models_base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', app.models_base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('resolution', sa.Text(), nullable=True),
    sa.Column('upheld', sa.Boolean(), nullable=True),
    sa.Column('refund_cents', sa.Integer(), nullable=True),
    sa.Column('first_response_breach_at', app.models_base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('resolution_breach_at', app.models_base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', app.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', app.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name=op.f('fk_complaint_tickets_assignee_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_complaint_tickets_client_id_clients'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_complaint_tickets_job_id_jobs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_complaint_tickets_order_id_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['technician_id'], ['technicians.id'], name=op.f('fk_complaint_tickets_technician_id_technicians'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_tickets'))
    )
    op.create_index(op.f('ix_complaint_tickets_client_id'), 'complaint_tickets', ['client_id'], unique=False)
    op.create_index(op.f('ix_complaint_tickets_job_id'), 'complaint_tickets', ['job_id'], unique=False)
    op.create_index(op.f('ix_complaint_tickets_order_id'), 'complaint_tickets', ['order_id'], unique=False)
    op.create_index(op.f('ix_complaint_tickets_status'), 'complaint_tickets', ['status'], unique=False)
    op.create_index(op.f('ix_complaint_tickets_technician_id'), 'complaint_tickets', ['technician_id'], unique=False)

    op.create_table('ticket_events',
    sa.Column('ticket_id', sa.Uuid(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('at', app.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_type', sa.String(length=20), nullable=False),
    sa.Column('actor_id', sa.String(length=64), nullable=True),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['complaint_tickets.id'], name=op.f('fk_ticket_events_ticket_id_complaint_tickets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_events')),
    sa.UniqueConstraint('ticket_id', 'seq', name=op.f('uq_ticket_events_ticket_id_seq'))
    )


def downgrade() -> None:
    op.drop_table('ticket_events')
    for name in ('ix_complaint_tickets_technician_id', 'ix_complaint_tickets_status', 'ix_complaint_tickets_order_id',
                 'ix_complaint_tickets_job_id', 'ix_complaint_tickets_client_id'):
        op.drop_index(op.f(name), table_name='complaint_tickets')
    op.drop_table('complaint_tickets')
    op.drop_index('ix_job_ratings_technician_created', table_name='job_ratings')
    op.drop_index(op.f('ix_job_ratings_order_id'), table_name='job_ratings')
    op.drop_table('job_ratings')
