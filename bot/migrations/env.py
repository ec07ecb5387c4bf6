"""Alembic environment: URL from bot.settings.database_url(), or a connection passed in
config.attributes["connection"] by bot.catalogue.db.migrate()."""
from __future__ import annotations

from logging.config import fileConfig

from alembic import context

from bot import settings
from bot.catalogue import records  # noqa: F401  (its tables belong to the metadata)
from bot.catalogue.models import include_object, metadata

config = context.config
target_metadata = metadata

connection = config.attributes.get("connection")
if connection is None and config.config_file_name:
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def _run(conn) -> None:
    context.configure(
        connection=conn,
        target_metadata=target_metadata,
        render_as_batch=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(
        url=settings.database_url(),
        target_metadata=target_metadata,
        include_object=include_object,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    if connection is not None:
        _run(connection)
        return
    from bot.catalogue.db import make_engine

    engine = make_engine(settings.database_url())
    try:
        with engine.begin() as conn:
            _run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
