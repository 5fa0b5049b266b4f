"""claims, the reprocess flag and Message-ID clashes on messages

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 01:00:00

* ``claimed_by`` / ``claimed_until``: the run that is processing a message, and until when
  its claim holds (a claim of a run that died is taken over: see ingest/claims.py).
* ``rules_pending``: ``ldl reprocess`` marks the messages it will re-decide; each one keeps
  its old decision until the new one replaces it in one transaction, and a later run
  finishes what a killed one left.
* ``message_id_clash_of``: an earlier message with the same Message-ID but another sender
  or date; both are kept.
"""
from alembic import op
import sqlalchemy as sa
import storage.models
from storage.views import create_view_statements, drop_view_statements


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN (SQLite too): no table rebuild, the views stay as they are
    op.add_column('messages', sa.Column('claimed_by', sa.String(length=200), nullable=True))
    op.add_column('messages', sa.Column('claimed_until',
                                        storage.models.UTCDateTime(timezone=True),
                                        nullable=True))
    op.add_column('messages', sa.Column('rules_pending', sa.Boolean(), nullable=False,
                                        server_default=sa.false()))
    op.add_column('messages', sa.Column('message_id_clash_of', sa.Integer(), nullable=True))
    op.create_index('ix_messages_rules_pending', 'messages', ['rules_pending'], unique=False)


def downgrade() -> None:
    # SQLite rebuilds the table to drop columns: the views that read it go and come back
    for statement in drop_view_statements():
        op.execute(statement)
    op.drop_index('ix_messages_rules_pending', table_name='messages')
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_column('message_id_clash_of')
        batch_op.drop_column('rules_pending')
        batch_op.drop_column('claimed_until')
        batch_op.drop_column('claimed_by')
    for statement in create_view_statements(op.get_bind().dialect.name):
        op.execute(statement)
