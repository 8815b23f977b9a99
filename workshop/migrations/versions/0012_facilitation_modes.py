"""facilitation modes: a round's reveal, moderated and anonymous settings; each note's state

Existing rows stay as they were: rounds without a mode, notes revealed, approved and named.

Revision ID: 0012
Revises: 0009
Create Date: 2026-12-05

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reveal', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('moderated', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('anonymous', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('note', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revealed', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('approved', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('anonymous', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('note', schema=None) as batch_op:
        batch_op.drop_column('anonymous')
        batch_op.drop_column('approved')
        batch_op.drop_column('revealed')
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.drop_column('anonymous')
        batch_op.drop_column('moderated')
        batch_op.drop_column('reveal')
