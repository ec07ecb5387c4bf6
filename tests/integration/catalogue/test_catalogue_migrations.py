import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from alembic.script import ScriptDirectory

from bot.catalogue import records  # noqa: F401  (feedback, handoff and inbox tables)
from bot.catalogue.db import alembic_config, migrate
from bot.catalogue.models import include_object, metadata


def test_upgrade_creates_all_tables(engine):
    tables = set(inspect(engine).get_table_names())
    assert set(metadata.tables) <= tables
    with engine.connect() as conn:
        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == head


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_models_match_migrations(engine):
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"include_object": include_object, "compare_type": True}), metadata
        )
    assert diff == []


def test_fulltext_index_exists(engine):
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            names = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master"))}
            assert {"answers_fts", "answers_fts_ai", "answers_fts_ad", "answers_fts_au"} <= names
        else:
            indexdef = conn.execute(
                text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_answers_text_fts' "
                     "AND schemaname = current_schema()")
            ).scalar_one()
            assert "gin" in indexdef and "to_tsvector('dutch'" in indexdef


def test_migrate_is_idempotent_and_downgrade_works(engine):
    from alembic import command

    migrate(engine)  # second run: nothing to do
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "base")
    assert not set(metadata.tables) & set(inspect(engine).get_table_names())
    migrate(engine)
    assert set(metadata.tables) <= set(inspect(engine).get_table_names())
