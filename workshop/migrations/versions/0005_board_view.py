"""board view: the projector shows the live wall or the results

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('workshop') as batch:
        batch.add_column(sa.Column('board_view', sa.String(length=16), nullable=False, server_default='live'))


def downgrade():
    with op.batch_alter_table('workshop') as batch:
        batch.drop_column('board_view')
