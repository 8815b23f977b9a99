"""open space: topics, attendance, dots, reports

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('dot',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('block_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('target', sa.String(length=48), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['block_id'], ['block.id'], name=op.f('fk_dot_block_id_block'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_dot_participant_id_participant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_dot_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dot'))
    )
    with op.batch_alter_table('dot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dot_block_id'), ['block_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dot_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dot_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('topic',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('block_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=True),
    sa.Column('convener_id', sa.Integer(), nullable=True),
    sa.Column('convener_name', sa.String(length=60), nullable=True),
    sa.Column('slot', sa.String(length=64), nullable=True),
    sa.Column('space', sa.String(length=64), nullable=True),
    sa.Column('withdrawn', sa.Boolean(), nullable=False),
    sa.Column('selected', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['block_id'], ['block.id'], name=op.f('fk_topic_block_id_block'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['convener_id'], ['participant.id'], name=op.f('fk_topic_convener_id_participant'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_topic_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_topic'))
    )
    with op.batch_alter_table('topic', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_topic_block_id'), ['block_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_topic_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.String(length=36), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('since', sa.DateTime(timezone=True), nullable=False),
    sa.Column('until', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_attendance_participant_id_participant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], name=op.f('fk_attendance_topic_id_topic'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance'))
    )
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attendance_topic_id'), ['topic_id'], unique=False)

    with op.batch_alter_table('block', schema=None) as batch_op:
        batch_op.add_column(sa.Column('vote_status', sa.String(length=16), server_default='none', nullable=False))
        batch_op.add_column(sa.Column('vote_dots', sa.Integer(), server_default='5', nullable=False))
        batch_op.add_column(sa.Column('vote_top', sa.Integer(), server_default='3', nullable=False))

    with op.batch_alter_table('note', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tag', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('owner', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('due', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_note_topic_id'), ['topic_id'], unique=False)



def downgrade():
    with op.batch_alter_table('note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_note_topic_id'))
        batch_op.drop_column('due')
        batch_op.drop_column('owner')
        batch_op.drop_column('tag')

    with op.batch_alter_table('block', schema=None) as batch_op:
        batch_op.drop_column('vote_top')
        batch_op.drop_column('vote_dots')
        batch_op.drop_column('vote_status')

    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_topic_id'))
        batch_op.drop_index(batch_op.f('ix_attendance_participant_id'))

    op.drop_table('attendance')
    with op.batch_alter_table('topic', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_topic_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_topic_block_id'))

    op.drop_table('topic')
    with op.batch_alter_table('dot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dot_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_dot_participant_id'))
        batch_op.drop_index(batch_op.f('ix_dot_block_id'))

    op.drop_table('dot')
