"""initial schema

Revision ID: 13736382b63c
Revises: 
Create Date: 2026-11-22 13:20:47.430168
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import geoalchemy2
import app.models_base
from geoalchemy2 import Geometry

revision: str = '13736382b63c'
down_revision: Union[str, None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('appliance_categories',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name_zh', sa.String(length=100), nullable=False),
    sa.Column('name_en', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_appliance_categories'))
    )
    op.create_table('catalogue_entries',
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('service_type', sa.String(length=20), nullable=False),
    sa.Column('skills', sa.JSON(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('base_price_cents', sa.Integer(), nullable=False),
    sa.Column('title_zh', sa.String(length=100), nullable=False),
    sa.Column('title_en', sa.String(length=100), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalogue_entries')),
    sa.UniqueConstraint('category', 'service_type', name=op.f('uq_catalogue_entries_category_service_type'))
    )
    op.create_table('clients',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('dispatch_mode', sa.String(length=10), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', app.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clients')),
    sa.UniqueConstraint('name', name=op.f('uq_clients_name'))
    )
    op.create_table('provider_companies',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=True),
    sa.Column('payout_share_bp', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', app.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_provider_companies')),
    sa.UniqueConstraint('name', name=op.f('uq_provider_companies_name'))
    )
    op.create_table('skills',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name_zh', sa.String(length=100), nullable=False),
    sa.Column('name_en', sa.String(length=100), nullable=False),
    sa.Column('certificate_required', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_skills'))
    )
    op.create_table('api_keys',
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('revoked_at', app.models_base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', app.models_base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', app.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_api_keys_client_id_clients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_keys')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_api_keys_key_hash'))
    )
    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_keys_client_id'), ['client_id'], unique=False)

    op.create_table('idempotency_records',
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('endpoint', sa.String(length=200), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=False),
    sa.Column('response_body', sa.JSON(), nullable=False),
    sa.Column('expires_at', app.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', app.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_idempotency_records_client_id_clients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idempotency_records')),
    sa.UniqueConstraint('client_id', 'key', name=op.f('uq_idempotency_records_client_id_key'))
    )
    with op.batch_alter_table('idempotency_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idempotency_records_expires_at'), ['expires_at'], unique=False)

    op.create_geospatial_table('orders',
    sa.Column('client_id', sa.Uuid(), nullable=True),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('external_order_id', sa.String(length=100), nullable=True),
    sa.Column('service_type', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('urgency', sa.String(length=20), nullable=False),
    sa.Column('contact_name', sa.String(length=100), nullable=False),
    sa.Column('contact_phone', sa.String(length=30), nullable=False),
    sa.Column('address', sa.String(length=500), nullable=False),
    sa.Column('location', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('problem_description', sa.Text(), nullable=True),
    sa.Column('rework_of_job_id', sa.Uuid(), nullable=True),
    sa.Column('goods_arrived_at', app.models_base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('tracking_token_hash', sa.String(length=64), nullable=True),
    sa.Column('cancelled_at', app.models_base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancel_reason', sa.String(length=500), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', app.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_orders_client_id_clients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_orders')),
    sa.UniqueConstraint('client_id', 'external_order_id', name=op.f('uq_orders_client_id_external_order_id')),
    sa.UniqueConstraint('tracking_token_hash', name=op.f('uq_orders_tracking_token_hash'))
    )
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.create_geospatial_index('idx_orders_location', ['location'], unique=False, postgresql_using='gist', postgresql_ops={})
        batch_op.create_index('ix_orders_client_created', ['client_id', 'created_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_orders_rework_of_job_id'), ['rework_of_job_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_orders_status'), ['status'], unique=False)

    op.create_geospatial_table('technicians',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('provider_id', sa.Uuid(), nullable=True),
    sa.Column('home_base', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('service_area', Geometry(geometry_type='MULTIPOLYGON', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('on_duty', sa.Boolean(), nullable=False),
    sa.Column('last_location', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry'), nullable=True),
    sa.Column('last_location_at', app.models_base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('max_jobs_per_day', sa.Integer(), nullable=False),
    sa.Column('quality_score', sa.Double(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', app.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['provider_id'], ['provider_companies.id'], name=op.f('fk_technicians_provider_id_provider_companies'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_technicians')),
    sa.UniqueConstraint('phone', name=op.f('uq_technicians_phone'))
    )
    with op.batch_alter_table('technicians', schema=None) as batch_op:
        batch_op.create_geospatial_index('idx_technicians_home_base', ['home_base'], unique=False, postgresql_using='gist', postgresql_ops={})
        batch_op.create_geospatial_index('idx_technicians_service_area', ['service_area'], unique=False, postgresql_using='gist', postgresql_ops={})
        batch_op.create_index(batch_op.f('ix_technicians_provider_id'), ['provider_id'], unique=False)

    op.create_table('days_off',
    sa.Column('technician_id', sa.Uuid(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['technician_id'], ['technicians.id'], name=op.f('fk_days_off_technician_id_technicians'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_days_off')),
    sa.UniqueConstraint('technician_id', 'day', name=op.f('uq_days_off_technician_id_day'))
    )
    op.create_geospatial_table('jobs',
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('service_type', sa.String(length=20), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('required_skills', sa.JSON(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('base_price_cents', sa.Integer(), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('window_start', app.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('window_end', app.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('earliest_start', app.models_base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('location', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('depends_on_job_id', sa.Uuid(), nullable=True),
    sa.Column('technician_id', sa.Uuid(), nullable=True),
    sa.Column('scheduled_start', app.models_base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', app.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', app.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['category'], ['appliance_categories.code'], name=op.f('fk_jobs_category_appliance_categories')),
    sa.ForeignKeyConstraint(['depends_on_job_id'], ['jobs.id'], name=op.f('fk_jobs_depends_on_job_id_jobs')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_jobs_order_id_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['technician_id'], ['technicians.id'], name=op.f('fk_jobs_technician_id_technicians')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs'))
    )
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.create_geospatial_index('idx_jobs_location', ['location'], unique=False, postgresql_using='gist', postgresql_ops={})
        batch_op.create_index(batch_op.f('ix_jobs_order_id'), ['order_id'], unique=False)
        batch_op.create_index('ix_jobs_status_window', ['status', 'window_start'], unique=False)
        batch_op.create_index(batch_op.f('ix_jobs_technician_id'), ['technician_id'], unique=False)

    op.create_table('order_appliances',
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('brand', sa.String(length=100), nullable=True),
    sa.Column('model', sa.String(length=100), nullable=True),
    sa.Column('serial', sa.String(length=100), nullable=True),
    sa.Column('purchase_date', sa.Date(), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['category'], ['appliance_categories.code'], name=op.f('fk_order_appliances_category_appliance_categories')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_appliances_order_id_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_appliances'))
    )
    with op.batch_alter_table('order_appliances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_appliances_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_order_appliances_serial'), ['serial'], unique=False)

    op.create_table('order_windows',
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('start', app.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('end', app.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_windows_order_id_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_windows'))
    )
    with op.batch_alter_table('order_windows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_windows_order_id'), ['order_id'], unique=False)

    op.create_table('technician_skills',
    sa.Column('technician_id', sa.Uuid(), nullable=False),
    sa.Column('skill', sa.String(length=40), nullable=False),
    sa.Column('certificate_name', sa.String(length=100), nullable=True),
    sa.Column('certificate_number', sa.String(length=100), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['skill'], ['skills.code'], name=op.f('fk_technician_skills_skill_skills')),
    sa.ForeignKeyConstraint(['technician_id'], ['technicians.id'], name=op.f('fk_technician_skills_technician_id_technicians'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_technician_skills')),
    sa.UniqueConstraint('technician_id', 'skill', name=op.f('uq_technician_skills_technician_id_skill'))
    )
    with op.batch_alter_table('technician_skills', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_technician_skills_skill'), ['skill'], unique=False)

    op.create_table('users',
    sa.Column('username', sa.String(length=100), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('display_name', sa.String(length=100), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('technician_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', app.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['technician_id'], ['technicians.id'], name=op.f('fk_users_technician_id_technicians'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('technician_id', name=op.f('uq_users_technician_id')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('weekly_shifts',
    sa.Column('technician_id', sa.Uuid(), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('start_minute', sa.Integer(), nullable=False),
    sa.Column('end_minute', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('start_minute >= 0 AND end_minute <= 1440 AND start_minute < end_minute', name=op.f('ck_weekly_shifts_minutes_range')),
    sa.CheckConstraint('weekday >= 0 AND weekday <= 6', name=op.f('ck_weekly_shifts_weekday_range')),
    sa.ForeignKeyConstraint(['technician_id'], ['technicians.id'], name=op.f('fk_weekly_shifts_technician_id_technicians'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_weekly_shifts'))
    )
    with op.batch_alter_table('weekly_shifts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_weekly_shifts_technician_id'), ['technician_id'], unique=False)

    op.create_table('auth_tokens',
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', app.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', app.models_base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', app.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_auth_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_auth_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_auth_tokens_token_hash'))
    )
    with op.batch_alter_table('auth_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_auth_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('job_events',
    sa.Column('job_id', sa.Uuid(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('at', app.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_type', sa.String(length=20), nullable=False),
    sa.Column('actor_id', sa.String(length=64), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_job_events_job_id_jobs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_events')),
    sa.UniqueConstraint('job_id', 'seq', name=op.f('uq_job_events_job_id_seq'))
    )
    op.create_table('job_offers',
    sa.Column('job_id', sa.Uuid(), nullable=False),
    sa.Column('technician_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('expires_at', app.models_base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('responded_at', app.models_base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', app.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_job_offers_job_id_jobs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['technician_id'], ['technicians.id'], name=op.f('fk_job_offers_technician_id_technicians'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_offers')),
    sa.UniqueConstraint('job_id', 'technician_id', name=op.f('uq_job_offers_job_id_technician_id'))
    )
    with op.batch_alter_table('job_offers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_offers_job_id'), ['job_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_job_offers_technician_id'), ['technician_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('job_offers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_offers_technician_id'))
        batch_op.drop_index(batch_op.f('ix_job_offers_job_id'))

    op.drop_table('job_offers')
    op.drop_table('job_events')
    with op.batch_alter_table('auth_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_auth_tokens_user_id'))

    op.drop_table('auth_tokens')
    with op.batch_alter_table('weekly_shifts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_weekly_shifts_technician_id'))

    op.drop_table('weekly_shifts')
    op.drop_table('users')
    with op.batch_alter_table('technician_skills', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_technician_skills_skill'))

    op.drop_table('technician_skills')
    with op.batch_alter_table('order_windows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_windows_order_id'))

    op.drop_table('order_windows')
    with op.batch_alter_table('order_appliances', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_appliances_serial'))
        batch_op.drop_index(batch_op.f('ix_order_appliances_order_id'))

    op.drop_table('order_appliances')
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jobs_technician_id'))
        batch_op.drop_index('ix_jobs_status_window')
        batch_op.drop_index(batch_op.f('ix_jobs_order_id'))
        batch_op.drop_geospatial_index('idx_jobs_location', postgresql_using='gist', column_name='location')

    op.drop_geospatial_table('jobs')
    op.drop_table('days_off')
    with op.batch_alter_table('technicians', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_technicians_provider_id'))
        batch_op.drop_geospatial_index('idx_technicians_service_area', postgresql_using='gist', column_name='service_area')
        batch_op.drop_geospatial_index('idx_technicians_home_base', postgresql_using='gist', column_name='home_base')

    op.drop_geospatial_table('technicians')
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_orders_status'))
        batch_op.drop_index(batch_op.f('ix_orders_rework_of_job_id'))
        batch_op.drop_index('ix_orders_client_created')
        batch_op.drop_geospatial_index('idx_orders_location', postgresql_using='gist', column_name='location')

    op.drop_geospatial_table('orders')
    with op.batch_alter_table('idempotency_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idempotency_records_expires_at'))

    op.drop_table('idempotency_records')
    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_keys_client_id'))

    op.drop_table('api_keys')
    op.drop_table('skills')
    op.drop_table('provider_companies')
    op.drop_table('clients')
    op.drop_table('catalogue_entries')
    op.drop_table('appliance_categories')
