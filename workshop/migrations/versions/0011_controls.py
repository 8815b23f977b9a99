"""controls on the fly: a round's timer version (idempotent presses), when a harvest opened

Revision ID: 0011
Revises: 0006
Create Date: 2026-12-04

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('timer_version', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('timer_action', sa.String(length=32), nullable=True))
    with op.batch_alter_table('block', schema=None) as batch_op:
        batch_op.add_column(sa.Column('harvest_opened_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('block', schema=None) as batch_op:
        batch_op.drop_column('harvest_opened_at')
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.drop_column('timer_action')
        batch_op.drop_column('timer_version')
