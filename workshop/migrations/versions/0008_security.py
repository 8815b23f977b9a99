"""security (issue 18): section introductions rendered once, when saved

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-04

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('section', schema=None) as batch_op:
        batch_op.add_column(sa.Column('intro_html', sa.Text(), nullable=False, server_default=''))
    # The introductions already written, rendered once here (within the renderer's safe bounds).
    from workshop.results.export.richtext import sanitized_html

    connection = op.get_bind()
    section = sa.table('section', sa.column('id', sa.Integer), sa.column('intro', sa.Text), sa.column('intro_html', sa.Text))
    for row in connection.execute(sa.select(section.c.id, section.c.intro)).all():
        if row.intro and row.intro.strip():
            connection.execute(section.update().where(section.c.id == row.id).values(intro_html=sanitized_html(row.intro)))


def downgrade():
    with op.batch_alter_table('section', schema=None) as batch_op:
        batch_op.drop_column('intro_html')
