"""Database triggers that keep a published version, and everything in it, exactly as published.

The services refuse such changes first; these triggers make the database refuse them too, for
any connection and any SQL, so an auditor need not trust the application alone. A version may
only move from published to retired, with nothing else changed.
"""

import pgtrigger

REFUSED = "integrity_constraint_violation"


def protect_published_version(*, name: str, noun: str) -> pgtrigger.Trigger:
    """Refuses updating or deleting a version row that is not a draft (bar retiring it)."""
    return pgtrigger.Trigger(
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
    return pgtrigger.Trigger(
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
