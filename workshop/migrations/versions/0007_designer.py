"""designer: the workshop's themes, a block's phase, the server's organiser key

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('workshop') as batch:
        batch.add_column(sa.Column('themes', sa.JSON(), nullable=False, server_default='[]'))
    with op.batch_alter_table('block') as batch:
        batch.add_column(sa.Column('phase', sa.String(length=16), nullable=True))
    op.create_table(
        'server_key',
        sa.Column('name', sa.String(length=32), nullable=False),
        sa.Column('key_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_server_key')),
    )


def downgrade():
    op.drop_table('server_key')
    with op.batch_alter_table('block') as batch:
        batch.drop_column('phase')
    with op.batch_alter_table('workshop') as batch:
        batch.drop_column('themes')
