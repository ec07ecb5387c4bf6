"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-26

All tables, plus full-text search over answers.text:
- SQLite: FTS5 external-content table answers_fts kept in sync by triggers
- PostgreSQL: GIN index on to_tsvector('dutch', text)
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('catalogue_meta',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('checksum', sa.String(length=64), nullable=False),
    sa.Column('loaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('measure_count', sa.Integer(), nullable=False),
    sa.Column('instrument_count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalogue_meta'))
    )
    op.create_table('feedback',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sender_id', sa.String(length=255), nullable=False),
    sa.Column('question', sa.Text(), nullable=True),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('measure_id', sa.String(length=64), nullable=True),
    sa.Column('rating', sa.SmallInteger(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.CheckConstraint('rating IN (-1, 1)', name=op.f('ck_feedback_rating')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback'))
    )
    op.create_index(op.f('ix_feedback_created_at'), 'feedback', ['created_at'], unique=False)
    op.create_index(op.f('ix_feedback_measure_id'), 'feedback', ['measure_id'], unique=False)
    op.create_index(op.f('ix_feedback_sender_id'), 'feedback', ['sender_id'], unique=False)
    op.create_table('handoffs',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sender_id', sa.String(length=255), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('last_message', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handoffs'))
    )
    op.create_index(op.f('ix_handoffs_created_at'), 'handoffs', ['created_at'], unique=False)
    op.create_index(op.f('ix_handoffs_sender_id'), 'handoffs', ['sender_id'], unique=False)
    op.create_table('measures',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('priority', sa.SmallInteger(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('status_state', sa.String(length=16), nullable=False),
    sa.Column('status_since', sa.String(length=10), nullable=True),
    sa.Column('status_until', sa.String(length=10), nullable=True),
    sa.Column('status_successor', sa.String(length=64), nullable=True),
    sa.Column('status_note', sa.Text(), nullable=True),
    sa.Column('last_verified', sa.Date(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measures'))
    )
    op.create_table('sources',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('published', sa.String(length=10), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sources'))
    )
    op.create_table('instruments',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('measure_id', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('status_state', sa.String(length=16), nullable=False),
    sa.Column('status_since', sa.String(length=10), nullable=True),
    sa.Column('status_until', sa.String(length=10), nullable=True),
    sa.Column('status_successor', sa.String(length=64), nullable=True),
    sa.Column('status_note', sa.Text(), nullable=True),
    sa.Column('last_verified', sa.Date(), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], name=op.f('fk_instruments_measure_id_measures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_instruments'))
    )
    op.create_index(op.f('ix_instruments_measure_id'), 'instruments', ['measure_id'], unique=False)
    op.create_table('measure_target_groups',
    sa.Column('measure_id', sa.String(length=64), nullable=False),
    sa.Column('target_group', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], name=op.f('fk_measure_target_groups_measure_id_measures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('measure_id', 'target_group', name=op.f('pk_measure_target_groups'))
    )
    op.create_index(op.f('ix_measure_target_groups_target_group'), 'measure_target_groups', ['target_group'], unique=False)
    op.create_table('measure_themes',
    sa.Column('measure_id', sa.String(length=64), nullable=False),
    sa.Column('theme', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], name=op.f('fk_measure_themes_measure_id_measures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('measure_id', 'theme', name=op.f('pk_measure_themes'))
    )
    op.create_index(op.f('ix_measure_themes_theme'), 'measure_themes', ['theme'], unique=False)
    op.create_table('aliases',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('measure_id', sa.String(length=64), nullable=False),
    sa.Column('instrument_id', sa.String(length=64), nullable=True),
    sa.Column('text', sa.String(length=300), nullable=False),
    sa.Column('normalized', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['instrument_id'], ['instruments.id'], name=op.f('fk_aliases_instrument_id_instruments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], name=op.f('fk_aliases_measure_id_measures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aliases')),
    sa.UniqueConstraint('normalized', name=op.f('uq_aliases_normalized'))
    )
    op.create_index(op.f('ix_aliases_instrument_id'), 'aliases', ['instrument_id'], unique=False)
    op.create_index(op.f('ix_aliases_measure_id'), 'aliases', ['measure_id'], unique=False)
    op.create_table('answers',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('measure_id', sa.String(length=64), nullable=False),
    sa.Column('instrument_id', sa.String(length=64), nullable=True),
    sa.Column('aspect', sa.String(length=16), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['instrument_id'], ['instruments.id'], name=op.f('fk_answers_instrument_id_instruments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], name=op.f('fk_answers_measure_id_measures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answers')),
    sa.UniqueConstraint('measure_id', 'instrument_id', 'aspect', name='uq_answers_owner_aspect')
    )
    op.create_index(op.f('ix_answers_instrument_id'), 'answers', ['instrument_id'], unique=False)
    op.create_index(op.f('ix_answers_measure_id'), 'answers', ['measure_id'], unique=False)
    op.create_table('instrument_target_groups',
    sa.Column('instrument_id', sa.String(length=64), nullable=False),
    sa.Column('target_group', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['instrument_id'], ['instruments.id'], name=op.f('fk_instrument_target_groups_instrument_id_instruments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('instrument_id', 'target_group', name=op.f('pk_instrument_target_groups'))
    )
    op.create_index(op.f('ix_instrument_target_groups_target_group'), 'instrument_target_groups', ['target_group'], unique=False)
    op.create_table('instrument_themes',
    sa.Column('instrument_id', sa.String(length=64), nullable=False),
    sa.Column('theme', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['instrument_id'], ['instruments.id'], name=op.f('fk_instrument_themes_instrument_id_instruments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('instrument_id', 'theme', name=op.f('pk_instrument_themes'))
    )
    op.create_index(op.f('ix_instrument_themes_theme'), 'instrument_themes', ['theme'], unique=False)
    op.create_table('answer_sources',
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['answers.id'], name=op.f('fk_answer_sources_answer_id_answers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_answer_sources_source_id_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('answer_id', 'source_id', name=op.f('pk_answer_sources'))
    )
    op.create_index('ix_answer_sources_source_id', 'answer_sources', ['source_id'], unique=False)
    _create_fulltext()


SQLITE_FTS = [
    "CREATE VIRTUAL TABLE answers_fts USING fts5("
    "text, content='answers', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER answers_fts_ai AFTER INSERT ON answers BEGIN "
    "INSERT INTO answers_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER answers_fts_ad AFTER DELETE ON answers BEGIN "
    "INSERT INTO answers_fts(answers_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER answers_fts_au AFTER UPDATE ON answers BEGIN "
    "INSERT INTO answers_fts(answers_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO answers_fts(rowid, text) VALUES (new.id, new.text); END",
]


def _create_fulltext() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)
    elif dialect == "postgresql":
        op.execute("CREATE INDEX ix_answers_text_fts ON answers USING gin (to_tsvector('dutch', text))")


def _drop_fulltext() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in ("answers_fts_ai", "answers_fts_ad", "answers_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS answers_fts")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_answers_text_fts")


def downgrade() -> None:
    _drop_fulltext()
    op.drop_table('answer_sources')
    op.drop_table('instrument_themes')
    op.drop_table('instrument_target_groups')
    op.drop_table('answers')
    op.drop_table('aliases')
    op.drop_table('measure_themes')
    op.drop_table('measure_target_groups')
    op.drop_table('instruments')
    op.drop_table('sources')
    op.drop_table('measures')
    op.drop_table('handoffs')
    op.drop_table('feedback')
    op.drop_table('catalogue_meta')
