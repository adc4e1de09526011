"""The migrations build exactly the schema the models declare, and can be walked down and up again."""

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from keepwarm.store.db import HEAD, alembic_config, current_revision, make_engine
from keepwarm.store.models import Base


def test_a_fresh_database_is_at_the_newest_migration(db):
    assert current_revision(db.engine) == HEAD


# indexes on expressions (a DESC column) that Alembic cannot compare: checked by their definition below
EXPRESSION_INDEXES = {"ix_people_intro"}


def _compared(diff):  # type: ignore[no-untyped-def]
    return [d for d in diff
            if not (d[0] in ("add_index", "remove_index") and d[1].name in EXPRESSION_INDEXES)]


def test_the_migrated_schema_matches_the_models(db):
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert _compared(diff) == []


def test_the_newcomer_index_is_partial_and_in_the_agendas_order(db):
    # the agenda's hellos read (owner, intro score DESC, id) among never-contacted people only
    with db.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'ix_people_intro'"
                                       ).scalar()
            plan = " ".join(r[3] for r in conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT id FROM people WHERE owner_id = 1 AND last_touch IS NULL "
                "ORDER BY intro_score DESC, id LIMIT 3"))
            assert "ix_people_intro" in plan and "TEMP B-TREE" not in plan  # no sort: read in order
        else:
            sql = conn.exec_driver_sql("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_people_intro'"
                                       ).scalar()
    normal = " ".join(str(sql).replace("(", " ").replace(")", " ").split()).lower()
    assert "owner_id, intro_score desc, id" in normal and "where last_touch is null" in normal


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
