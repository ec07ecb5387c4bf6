"""staff inbox: messages the bot could not place, and how many the cap pushed out

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('inbox_items',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('reply', sa.Text(), nullable=True),
    sa.Column('candidates', sa.Text(), nullable=True),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('first_seen', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('measure_id', sa.String(length=64), nullable=True),
    sa.Column('item_id', sa.String(length=64), nullable=True),
    sa.Column('assigned_by', sa.String(length=100), nullable=True),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('count >= 1', name=op.f('ck_inbox_items_count')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbox_items')),
    sa.UniqueConstraint('key', name=op.f('uq_inbox_items_key'))
    )
    op.create_index(op.f('ix_inbox_items_last_seen'), 'inbox_items', ['last_seen'], unique=False)
    op.create_index(op.f('ix_inbox_items_status'), 'inbox_items', ['status'], unique=False)
    op.create_table('inbox_state',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('evicted', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbox_state'))
    )


def downgrade() -> None:
    op.drop_table('inbox_state')
    op.drop_index(op.f('ix_inbox_items_status'), table_name='inbox_items')
    op.drop_index(op.f('ix_inbox_items_last_seen'), table_name='inbox_items')
    op.drop_table('inbox_items')
