"""sla tables

Revision ID: 5b2d1f6c8e32
Revises: 4a1c0e5b7d21
Create Date: 2026-11-22 15:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import geoalchemy2
import app.models_base


revision: str = '5b2d1f6c8e32'
down_revision: Union[str, None] = '4a1c0e5b7d21'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    pass  # TODO(sla): the sla domain's tables


def downgrade() -> None:
    pass  # TODO(sla): drop them in reverse order
