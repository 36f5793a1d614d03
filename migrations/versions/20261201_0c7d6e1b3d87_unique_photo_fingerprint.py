"""one photo is evidence once: unique sha256 on node_photos

Revision ID: 0c7d6e1b3d87
Revises: 9f6b5d0a2c76
Create Date: 2026-12-01 21:00:00
"""
from typing import Sequence, Union

from alembic import op


revision: str = '0c7d6e1b3d87'
down_revision: Union[str, None] = '9f6b5d0a2c76'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.drop_index('ix_node_photos_sha256', table_name='node_photos')
    op.create_index('ix_node_photos_sha256', 'node_photos', ['sha256'], unique=True)


def downgrade() -> None:
    op.drop_index('ix_node_photos_sha256', table_name='node_photos')
    op.create_index('ix_node_photos_sha256', 'node_photos', ['sha256'], unique=False)
