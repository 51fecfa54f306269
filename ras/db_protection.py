"""Database triggers that keep a published version, and everything in it, exactly as published.

The services refuse such changes first; these triggers make the database refuse them too, for
any connection and any SQL, so an auditor need not trust the application alone. A version may
only move from published to retired, with nothing else changed. Logs that must never be
rewritten (the access audit) are append-only. No session setting can switch any of these
triggers off (see `UnignorableTrigger`).
"""

import pgtrigger
from django.db import models
from pgtrigger import compiler

REFUSED = "integrity_constraint_violation"


def protect_published_version(*, name: str, noun: str) -> pgtrigger.Trigger:
    """Refuses updating or deleting a version row that is not a draft (bar retiring it)."""
    return UnignorableTrigger(
        name=name,
        operation=pgtrigger.Update | pgtrigger.Delete,
        when=pgtrigger.Before,
        func=f"""
            IF OLD.status = 'draft' THEN
                RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
            END IF;
            IF TG_OP = 'UPDATE' AND OLD.status = 'published' AND NEW.status = 'retired'
               AND (to_jsonb(NEW) - 'status') = (to_jsonb(OLD) - 'status') THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION '{noun} % is % and cannot be changed or deleted.',
                OLD.id, OLD.status USING ERRCODE = '{REFUSED}';
        """,
    )


def protect_rows_of_published_versions(
    *, name: str, version_table: str, noun: str
) -> pgtrigger.Trigger:
    """Refuses adding, changing or removing a row (with a `version_id`) of a non-draft version,
    checking both the old and the new version so a draft's row cannot move into a published one.
    """
    return UnignorableTrigger(
        name=name,
        operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
        when=pgtrigger.Before,
        # The table and noun come from model code, never from input.
        func=f"""
            DECLARE
                version_ids bigint[];
                frozen_id bigint;
            BEGIN
                version_ids := ARRAY[]::bigint[];
                IF TG_OP <> 'INSERT' THEN version_ids := version_ids || OLD.version_id; END IF;
                IF TG_OP <> 'DELETE' THEN version_ids := version_ids || NEW.version_id; END IF;
                SELECT id INTO frozen_id FROM {version_table}
                    WHERE id = ANY(version_ids) AND status <> 'draft' LIMIT 1;
                IF frozen_id IS NOT NULL THEN
                    RAISE EXCEPTION '{noun} % is not a draft: its contents cannot change.',
                        frozen_id USING ERRCODE = '{REFUSED}';
                END IF;
                RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
            END;
        """,  # noqa: S608
    )


class UnignorableTriggerSql(compiler.UpsertTriggerSql):
    """pgtrigger's installation SQL without its escape hatch.

    pgtrigger's own template lets any session skip a trigger with `SET pgtrigger.ignore = ...`,
    which any connection may do. A trigger built from this template has no such switch: only
    dropping or disabling it (which needs the table's owner) stops it.
    """

    def get_template(self) -> str:
        return """
            CREATE OR REPLACE FUNCTION {pgid}()
            RETURNS TRIGGER AS $$
                {declare}
                BEGIN
                    {func}
                END;
            $$ LANGUAGE plpgsql;

            DROP TRIGGER IF EXISTS {pgid} ON {table};
            CREATE {constraint} TRIGGER {pgid}
                {when} {operation} ON {table}
                {timing}
                {referencing}
                FOR EACH {level} {condition}
                EXECUTE PROCEDURE {execute};

            COMMENT ON TRIGGER {pgid} ON {table} IS '{hash}';
        """


class UnignorableTrigger(pgtrigger.Trigger):
    """A pgtrigger trigger that `pgtrigger.ignore` cannot switch off (see UnignorableTriggerSql)."""

    def compile(self, model: models.Model) -> compiler.Trigger:
        compiled = super().compile(model)
        return compiler.Trigger(
            name=compiled.name, sql=UnignorableTriggerSql(**compiled.sql.kwargs)
        )


def protect_append_only_log(
    *, name: str, noun: str, time_column: str, kept_days: int
) -> list[pgtrigger.Trigger]:
    """Refuses changing any row, deleting a row until it is `kept_days` old, and TRUNCATE.

    `kept_days` is written into the trigger, so changing it needs a migration. Deleting rows
    older than that is allowed, so a retention job can remove what has passed its period.
    """
    if kept_days < 1:
        raise ValueError("A log must be kept at least a day.")
    return [
        UnignorableTrigger(
            name=name,
            operation=pgtrigger.Update | pgtrigger.Delete,
            when=pgtrigger.Before,
            # The column, noun and number come from model code and settings, never from input.
            func=f"""
                IF TG_OP = 'DELETE'
                   AND OLD.{time_column} < now() - make_interval(days => {int(kept_days)}) THEN
                    RETURN OLD;
                END IF;
                RAISE EXCEPTION '{noun} are a permanent record: they cannot be changed, or deleted '
                    'before they are {int(kept_days)} days old.' USING ERRCODE = '{REFUSED}';
            """,
        ),
        UnignorableTrigger(
            name=f"{name}_whole",
            level=pgtrigger.Statement,
            operation=pgtrigger.Truncate,
            when=pgtrigger.Before,
            func=f"""
                RAISE EXCEPTION '{noun} are a permanent record: the table cannot be emptied.'
                    USING ERRCODE = '{REFUSED}';
            """,
        ),
    ]
