"""answer items: question-level answers with their questions and sources

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('answer_items',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('measure_id', sa.String(length=64), nullable=False),
    sa.Column('instrument_id', sa.String(length=64), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('aspect', sa.String(length=16), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('since', sa.String(length=10), nullable=True),
    sa.Column('until', sa.String(length=10), nullable=True),
    sa.ForeignKeyConstraint(['instrument_id'], ['instruments.id'], name=op.f('fk_answer_items_instrument_id_instruments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], name=op.f('fk_answer_items_measure_id_measures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answer_items'))
    )
    op.create_index(op.f('ix_answer_items_instrument_id'), 'answer_items', ['instrument_id'], unique=False)
    op.create_index(op.f('ix_answer_items_measure_id'), 'answer_items', ['measure_id'], unique=False)
    op.create_table('answer_item_questions',
    sa.Column('item_id', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['answer_items.id'], name=op.f('fk_answer_item_questions_item_id_answer_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_id', 'position', name=op.f('pk_answer_item_questions'))
    )
    op.create_table('answer_item_sources',
    sa.Column('item_id', sa.String(length=64), nullable=False),
    sa.Column('source_id', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['answer_items.id'], name=op.f('fk_answer_item_sources_item_id_answer_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_answer_item_sources_source_id_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_id', 'source_id', name=op.f('pk_answer_item_sources'))
    )
    op.create_index('ix_answer_item_sources_source_id', 'answer_item_sources', ['source_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_answer_item_sources_source_id', table_name='answer_item_sources')
    op.drop_table('answer_item_sources')
    op.drop_table('answer_item_questions')
    op.drop_index(op.f('ix_answer_items_measure_id'), table_name='answer_items')
    op.drop_index(op.f('ix_answer_items_instrument_id'), table_name='answer_items')
    op.drop_table('answer_items')
