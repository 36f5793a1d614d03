"""warranty tables

Revision ID: 7d4f3b8e0a54
Revises: 6c3e2a7d9f43
Create Date: 2026-11-22 15:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import geoalchemy2
import app.models_base


revision: str = '7d4f3b8e0a54'
down_revision: Union[str, None] = '6c3e2a7d9f43'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('products',
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('model', sa.String(length=100), nullable=False),
    sa.Column('serial', sa.String(length=100), nullable=False),
    sa.Column('purchase_date', sa.Date(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('consumer_phone', sa.String(length=30), nullable=True),
    sa.Column('service_code', sa.String(length=16), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', app.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['category'], ['appliance_categories.code'], name=op.f('fk_products_category_appliance_categories')),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_products_client_id_clients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_products')),
    sa.UniqueConstraint('client_id', 'serial', name=op.f('uq_products_client_id_serial')),
    sa.UniqueConstraint('service_code', name=op.f('uq_products_service_code'))
    )
    op.create_index('ix_products_client_created', 'products', ['client_id', 'created_at', 'id'], unique=False)
    op.create_index(op.f('ix_products_serial'), 'products', ['serial'], unique=False)

    op.create_table('warranty_policies',
    sa.Column('client_id', sa.Uuid(), nullable=True),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('whole_unit_months', sa.Integer(), nullable=False),
    sa.Column('key_part_months', sa.Integer(), nullable=False),
    sa.Column('key_parts', sa.JSON(), nullable=False),
    sa.Column('excluded_channels', sa.JSON(), nullable=False),
    sa.Column('updated_at', app.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', app.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['category'], ['appliance_categories.code'], name=op.f('fk_warranty_policies_category_appliance_categories')),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_warranty_policies_client_id_clients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_warranty_policies')),
    sa.UniqueConstraint('client_id', 'category', name=op.f('uq_warranty_policies_client_id_category'))
    )

    op.create_table('rework_links',
    sa.Column('job_id', sa.Uuid(), nullable=False),
    sa.Column('original_job_id', sa.Uuid(), nullable=False),
    sa.Column('original_technician_id', sa.Uuid(), nullable=True),
    sa.Column('original_completed_at', app.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('days_after', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', app.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_rework_links_job_id_jobs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['original_job_id'], ['jobs.id'], name=op.f('fk_rework_links_original_job_id_jobs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['original_technician_id'], ['technicians.id'], name=op.f('fk_rework_links_original_technician_id_technicians')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rework_links')),
    sa.UniqueConstraint('job_id', name=op.f('uq_rework_links_job_id'))
    )
    op.create_index(op.f('ix_rework_links_original_job_id'), 'rework_links', ['original_job_id'], unique=False)
    op.create_index(op.f('ix_rework_links_original_technician_id'), 'rework_links', ['original_technician_id'], unique=False)

    op.create_table('warranty_decisions',
    sa.Column('job_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('reason_zh', sa.Text(), nullable=False),
    sa.Column('reason_en', sa.Text(), nullable=False),
    sa.Column('bill_to_brand', sa.Boolean(), nullable=False),
    sa.Column('brand_client_id', sa.Uuid(), nullable=True),
    sa.Column('product_id', sa.Uuid(), nullable=True),
    sa.Column('policy_id', sa.Uuid(), nullable=True),
    sa.Column('purchase_date', sa.Date(), nullable=True),
    sa.Column('purchase_date_source', sa.String(length=20), nullable=True),
    sa.Column('decided_for', sa.Date(), nullable=False),
    sa.Column('whole_unit_until', sa.Date(), nullable=True),
    sa.Column('key_parts_until', sa.Date(), nullable=True),
    sa.Column('key_parts', sa.JSON(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', app.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['brand_client_id'], ['clients.id'], name=op.f('fk_warranty_decisions_brand_client_id_clients'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_warranty_decisions_job_id_jobs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['policy_id'], ['warranty_policies.id'], name=op.f('fk_warranty_decisions_policy_id_warranty_policies'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_warranty_decisions_product_id_products'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_warranty_decisions')),
    sa.UniqueConstraint('job_id', name=op.f('uq_warranty_decisions_job_id'))
    )


def downgrade() -> None:
    op.drop_table('warranty_decisions')
    op.drop_index(op.f('ix_rework_links_original_technician_id'), table_name='rework_links')
    op.drop_index(op.f('ix_rework_links_original_job_id'), table_name='rework_links')
    op.drop_table('rework_links')
    op.drop_table('warranty_policies')
    op.drop_index(op.f('ix_products_serial'), table_name='products')
    op.drop_index('ix_products_client_created', table_name='products')
    op.drop_table('products')
