"""seating: one stored rotation plan per World Café block, and a roster of known attendees

Revision ID: 0009
Revises: 0006
Create Date: 2026-12-04

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('block', schema=None) as batch_op:
        batch_op.add_column(sa.Column('planned_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('plan_basis', sa.JSON(), nullable=True))
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('on_roster', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('fixed_table', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('arrived_at', sa.DateTime(timezone=True), nullable=True))
    # Everyone already known came with a phone.
    op.execute("UPDATE participant SET arrived_at = created_at")


def downgrade():
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_column('arrived_at')
        batch_op.drop_column('fixed_table')
        batch_op.drop_column('on_roster')
    with op.batch_alter_table('block', schema=None) as batch_op:
        batch_op.drop_column('plan_basis')
        batch_op.drop_column('planned_at')
