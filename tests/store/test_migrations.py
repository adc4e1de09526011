"""The migrations build exactly the schema the models declare, and can be walked down and up again."""

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from keepwarm.store.db import HEAD, alembic_config, current_revision, make_engine
from keepwarm.store.models import Base


def test_a_fresh_database_is_at_the_newest_migration(db):
    assert current_revision(db.engine) == HEAD


def test_the_migrated_schema_matches_the_models(db):
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_migrations_walk_down_to_nothing_and_up_again(db_url):
    engine = make_engine(db_url)
    cfg = alembic_config(db_url)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    assert {"people", "touches", "touch_people", "users"} <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_the_migration_chain_ends_at_the_head_the_code_expects():
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert script.get_heads() == [HEAD]
