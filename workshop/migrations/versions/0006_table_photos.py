"""table photos: the tablecloths and flipcharts, as clean JPEGs

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('photo',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('block_id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=True),
    sa.Column('table_number', sa.Integer(), nullable=True),
    sa.Column('topic_id', sa.String(length=36), nullable=True),
    sa.Column('place', sa.String(length=80), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('slot', sa.Integer(), nullable=False),
    sa.Column('uploader_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('jpeg', sa.LargeBinary(), nullable=False),
    sa.Column('thumbnail', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['block_id'], ['block.id'], name=op.f('fk_photo_block_id_block'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_photo_round_id_round'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], name=op.f('fk_photo_topic_id_topic'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploader_id'], ['participant.id'], name=op.f('fk_photo_uploader_id_participant'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_photo_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_photo')),
    sa.UniqueConstraint('workshop_id', 'number', name='uq_photo_number'),
    sa.UniqueConstraint('workshop_id', 'place', 'slot', name='uq_photo_place_slot')
    )
    with op.batch_alter_table('photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_photo_block_id'), ['block_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_photo_workshop_id'), ['workshop_id'], unique=False)


def downgrade():
    with op.batch_alter_table('photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_photo_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_photo_block_id'))

    op.drop_table('photo')
