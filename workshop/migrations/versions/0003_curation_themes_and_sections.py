"""curation: themes and sections

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('section',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('intro', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_section_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_section'))
    )
    with op.batch_alter_table('section', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_section_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('theme',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('block_id', sa.Integer(), nullable=True),
    sa.Column('section_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['block_id'], ['block.id'], name=op.f('fk_theme_block_id_block'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['section_id'], ['section.id'], name=op.f('fk_theme_section_id_section'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_theme_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_theme'))
    )
    with op.batch_alter_table('theme', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_theme_workshop_id'), ['workshop_id'], unique=False)

    with op.batch_alter_table('note', schema=None) as batch_op:
        batch_op.add_column(sa.Column('theme_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('section_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_note_theme_id'), ['theme_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_note_section_id_section'), 'section', ['section_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_note_theme_id_theme'), 'theme', ['theme_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('note', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_note_theme_id_theme'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_note_section_id_section'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_note_theme_id'))
        batch_op.drop_column('section_id')
        batch_op.drop_column('theme_id')

    with op.batch_alter_table('theme', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_theme_workshop_id'))

    op.drop_table('theme')
    with op.batch_alter_table('section', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_section_workshop_id'))

    op.drop_table('section')
