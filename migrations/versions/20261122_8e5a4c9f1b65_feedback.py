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
    pass  # TODO(feedback): the feedback domain's tables


def downgrade() -> None:
    pass  # TODO(feedback): drop them in reverse order
