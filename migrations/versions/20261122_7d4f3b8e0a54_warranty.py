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
    pass  # TODO(warranty): the warranty domain's tables


def downgrade() -> None:
    pass  # TODO(warranty): drop them in reverse order
