"""pricing tables: price lists and items, charge sheets and job charges, bills, payout rules, payouts

Revision ID: 6c3e2a7d9f43
Revises: 5b2d1f6c8e32
Create Date: 2026-11-22 15:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import app.models_base


revision: str = '6c3e2a7d9f43'
down_revision: Union[str, None] = '5b2d1f6c8e32'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

UTC = app.models_base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table('payout_rules',
    sa.Column('provider_id', sa.Uuid(), nullable=False),
    sa.Column('labour_share_bp', sa.Integer(), nullable=False),
    sa.Column('parts_share_bp', sa.Integer(), nullable=False),
    sa.Column('surcharge_share_bp', sa.Integer(), nullable=False),
    sa.Column('per_job_fee_cents', sa.Integer(), nullable=False),
    sa.Column('updated_at', UTC, nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', UTC, nullable=False),
    sa.ForeignKeyConstraint(['provider_id'], ['provider_companies.id'], name=op.f('fk_payout_rules_provider_id_provider_companies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payout_rules')),
    sa.UniqueConstraint('provider_id', name=op.f('uq_payout_rules_provider_id'))
    )
    op.create_table('price_lists',
    sa.Column('client_id', sa.Uuid(), nullable=True),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('current', sa.Boolean(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', UTC, nullable=False),
    sa.ForeignKeyConstraint(['category'], ['appliance_categories.code'], name=op.f('fk_price_lists_category_appliance_categories')),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_price_lists_client_id_clients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_price_lists')),
    sa.UniqueConstraint('client_id', 'category', 'version', name=op.f('uq_price_lists_client_id_category_version'))
    )
    op.create_index('ix_price_lists_lookup', 'price_lists', ['category', 'client_id', 'current'], unique=False)

    op.create_table('price_items',
    sa.Column('price_list_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('service_type', sa.String(length=20), nullable=True),
    sa.Column('name_zh', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('unit_price_cents', sa.Integer(), nullable=False),
    sa.Column('max_quantity', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['price_list_id'], ['price_lists.id'], name=op.f('fk_price_items_price_list_id_price_lists'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_price_items')),
    sa.UniqueConstraint('price_list_id', 'code', name=op.f('uq_price_items_price_list_id_code'))
    )
    op.create_index(op.f('ix_price_items_price_list_id'), 'price_items', ['price_list_id'], unique=False)

    op.create_table('bills',
    sa.Column('job_id', sa.Uuid(), nullable=False),
    sa.Column('lines', sa.JSON(), nullable=False),
    sa.Column('warranty', sa.JSON(), nullable=True),
    sa.Column('brand_client_id', sa.Uuid(), nullable=True),
    sa.Column('consumer_cents', sa.BigInteger(), nullable=False),
    sa.Column('brand_cents', sa.BigInteger(), nullable=False),
    sa.Column('total_cents', sa.BigInteger(), nullable=False),
    sa.Column('frozen_at', UTC, nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['brand_client_id'], ['clients.id'], name=op.f('fk_bills_brand_client_id_clients')),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_bills_job_id_jobs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bills')),
    sa.UniqueConstraint('job_id', name=op.f('uq_bills_job_id'))
    )
    op.create_table('charge_sheets',
    sa.Column('job_id', sa.Uuid(), nullable=False),
    sa.Column('charge_count', sa.Integer(), nullable=False),
    sa.Column('closed_at', UTC, nullable=True),
    sa.Column('closed_by_type', sa.String(length=20), nullable=True),
    sa.Column('closed_by_id', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_charge_sheets_job_id_jobs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('job_id', name=op.f('pk_charge_sheets'))
    )
    op.create_table('job_charges',
    sa.Column('job_id', sa.Uuid(), nullable=False),
    sa.Column('technician_id', sa.Uuid(), nullable=False),
    sa.Column('price_item_id', sa.Uuid(), nullable=True),
    sa.Column('custom', sa.Boolean(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('item_code', sa.String(length=60), nullable=True),
    sa.Column('name_zh', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('unit_price_cents', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('shown_to_consumer_at', UTC, nullable=True),
    sa.Column('decided_at', UTC, nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.Column('history', sa.JSON(), nullable=False),
    sa.Column('updated_at', UTC, nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', UTC, nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_job_charges_job_id_jobs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['price_item_id'], ['price_items.id'], name=op.f('fk_job_charges_price_item_id_price_items')),
    sa.ForeignKeyConstraint(['technician_id'], ['technicians.id'], name=op.f('fk_job_charges_technician_id_technicians')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_charges'))
    )
    op.create_index(op.f('ix_job_charges_job_id'), 'job_charges', ['job_id'], unique=False)
    op.create_index('ix_job_charges_status_created', 'job_charges', ['status', 'created_at'], unique=False)

    op.create_table('payouts',
    sa.Column('job_id', sa.Uuid(), nullable=False),
    sa.Column('technician_id', sa.Uuid(), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.Column('breakdown', sa.JSON(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', UTC, nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_payouts_job_id_jobs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['technician_id'], ['technicians.id'], name=op.f('fk_payouts_technician_id_technicians')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payouts')),
    sa.UniqueConstraint('job_id', name=op.f('uq_payouts_job_id'))
    )
    op.create_index('ix_payouts_technician_created', 'payouts', ['technician_id', 'created_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_payouts_technician_created', table_name='payouts')
    op.drop_table('payouts')
    op.drop_index('ix_job_charges_status_created', table_name='job_charges')
    op.drop_index(op.f('ix_job_charges_job_id'), table_name='job_charges')
    op.drop_table('job_charges')
    op.drop_table('charge_sheets')
    op.drop_table('bills')
    op.drop_index(op.f('ix_price_items_price_list_id'), table_name='price_items')
    op.drop_table('price_items')
    op.drop_index('ix_price_lists_lookup', table_name='price_lists')
    op.drop_table('price_lists')
    op.drop_table('payout_rules')
