"""world cafe seats, stars, harvest

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('seat',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('planned_table', sa.Integer(), nullable=True),
    sa.Column('table', sa.Integer(), nullable=True),
    sa.Column('arrived_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_seat_participant_id_participant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_seat_round_id_round'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seat')),
    sa.UniqueConstraint('round_id', 'participant_id', name=op.f('uq_seat_round_id'))
    )
    with op.batch_alter_table('seat', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seat_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_seat_round_id'), ['round_id'], unique=False)

    with op.batch_alter_table('block', schema=None) as batch_op:
        batch_op.add_column(sa.Column('harvest', sa.String(length=16), server_default='none', nullable=False))

    with op.batch_alter_table('note', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=16), server_default='note', nullable=False))
        batch_op.add_column(sa.Column('starred', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade():
    with op.batch_alter_table('note', schema=None) as batch_op:
        batch_op.drop_column('starred')
        batch_op.drop_column('kind')

    with op.batch_alter_table('block', schema=None) as batch_op:
        batch_op.drop_column('harvest')

    with op.batch_alter_table('seat', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seat_round_id'))
        batch_op.drop_index(batch_op.f('ix_seat_participant_id'))

    op.drop_table('seat')
