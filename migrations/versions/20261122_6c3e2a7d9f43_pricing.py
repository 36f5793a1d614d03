"""pricing tables

Revision ID: 6c3e2a7d9f43
Revises: 5b2d1f6c8e32
Create Date: 2026-11-22 15:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import geoalchemy2
import app.models_base


revision: str = '6c3e2a7d9f43'
down_revision: Union[str, None] = '5b2d1f6c8e32'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    pass  # TODO(pricing): the pricing domain's tables


def downgrade() -> None:
    pass  # TODO(pricing): drop them in reverse order
