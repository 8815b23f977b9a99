"""first schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-26

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('workshop',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('organiser', sa.String(length=300), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=True),
    sa.Column('question', sa.Text(), nullable=True),
    sa.Column('dates', sa.JSON(), nullable=False),
    sa.Column('sectors', sa.JSON(), nullable=False),
    sa.Column('template_name', sa.String(length=100), nullable=True),
    sa.Column('facilitator_key_hash', sa.String(length=64), nullable=False),
    sa.Column('secretariat_key_hash', sa.String(length=64), nullable=False),
    sa.Column('current_block_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop')),
    sa.UniqueConstraint('code', name=op.f('uq_workshop_code'))
    )
    op.create_table('block',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('part', sa.String(length=16), nullable=False),
    sa.Column('method', sa.String(length=16), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('slots', sa.JSON(), nullable=False),
    sa.Column('spaces', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_block_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_block')),
    sa.UniqueConstraint('workshop_id', 'key', name=op.f('uq_block_workshop_id'))
    )
    with op.batch_alter_table('block', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_block_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('participant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=True),
    sa.Column('sector', sa.String(length=64), nullable=True),
    sa.Column('table_number', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_participant_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participant')),
    sa.UniqueConstraint('token', name=op.f('uq_participant_token'))
    )
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participant_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('cafe_table',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('block_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('theme', sa.String(length=500), nullable=True),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('host_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['block_id'], ['block.id'], name=op.f('fk_cafe_table_block_id_block'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['host_id'], ['participant.id'], name=op.f('fk_cafe_table_host_id_participant'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cafe_table')),
    sa.UniqueConstraint('block_id', 'number', name=op.f('uq_cafe_table_block_id'))
    )
    with op.batch_alter_table('cafe_table', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cafe_table_block_id'), ['block_id'], unique=False)

    op.create_table('round',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('block_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=True),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['block_id'], ['block.id'], name=op.f('fk_round_block_id_block'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_round'))
    )
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_round_block_id'), ['block_id'], unique=False)

    op.create_table('note',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('block_id', sa.Integer(), nullable=True),
    sa.Column('round_id', sa.Integer(), nullable=True),
    sa.Column('table_number', sa.Integer(), nullable=True),
    sa.Column('topic_id', sa.String(length=36), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('color', sa.String(length=16), nullable=True),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['participant.id'], name=op.f('fk_note_author_id_participant'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['block_id'], ['block.id'], name=op.f('fk_note_block_id_block'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_note_round_id_round'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_note_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_note'))
    )
    with op.batch_alter_table('note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_note_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_note_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_note_workshop_id'), ['workshop_id'], unique=False)
        batch_op.create_index('ix_note_workshop_table', ['workshop_id', 'table_number'], unique=False)



def downgrade():
    with op.batch_alter_table('note', schema=None) as batch_op:
        batch_op.drop_index('ix_note_workshop_table')
        batch_op.drop_index(batch_op.f('ix_note_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_note_round_id'))
        batch_op.drop_index(batch_op.f('ix_note_author_id'))

    op.drop_table('note')
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_round_block_id'))

    op.drop_table('round')
    with op.batch_alter_table('cafe_table', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cafe_table_block_id'))

    op.drop_table('cafe_table')
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participant_workshop_id'))

    op.drop_table('participant')
    with op.batch_alter_table('block', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_block_workshop_id'))

    op.drop_table('block')
    op.drop_table('workshop')
