"""consumer phone verifications, changes and photos

Revision ID: e746e72deac4
Revises: 0c7d6e1b3d87
Create Date: 2026-12-01 23:30:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import app.models_base


revision: str = 'e746e72deac4'
down_revision: Union[str, None] = '0c7d6e1b3d87'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('phone_verifications',
    sa.Column('phone', sa.String(length=32), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', app.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', app.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('verified_at', app.models_base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('used_at', app.models_base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('proof_hash', sa.String(length=64), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_phone_verifications')),
    sa.UniqueConstraint('proof_hash', name=op.f('uq_phone_verifications_proof_hash'))
    )
    with op.batch_alter_table('phone_verifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_phone_verifications_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_phone_verifications_phone'), ['phone'], unique=False)

    op.create_table('consumer_changes',
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('fee_cents', sa.Integer(), nullable=False),
    sa.Column('from_start', app.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('to_start', app.models_base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('to_end', app.models_base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('at', app.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_consumer_changes_order_id_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consumer_changes'))
    )
    with op.batch_alter_table('consumer_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consumer_changes_order_id'), ['order_id'], unique=False)

    op.create_table('consumer_photos',
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('ticket_id', sa.Uuid(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('storage_key', sa.String(length=200), nullable=False),
    sa.Column('uploaded_at', app.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_consumer_photos_order_id_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ticket_id'], ['complaint_tickets.id'], name=op.f('fk_consumer_photos_ticket_id_complaint_tickets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consumer_photos'))
    )
    with op.batch_alter_table('consumer_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consumer_photos_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consumer_photos_ticket_id'), ['ticket_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('consumer_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consumer_photos_ticket_id'))
        batch_op.drop_index(batch_op.f('ix_consumer_photos_order_id'))

    op.drop_table('consumer_photos')
    with op.batch_alter_table('consumer_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consumer_changes_order_id'))

    op.drop_table('consumer_changes')
    with op.batch_alter_table('phone_verifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_phone_verifications_phone'))
        batch_op.drop_index(batch_op.f('ix_phone_verifications_created_at'))

    op.drop_table('phone_verifications')
