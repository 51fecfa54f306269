"""The kinds of record on the retention schedule, in the order the nightly run applies them.

To add a kind, write a class with `code`, `title`, `period()`, `rule()`
and `apply(now=, tally=)` (see `RetentionKind`), skip people in `held_person_ids()`, and add an
instance to KINDS. Its rule and counts then appear in every run's report.
"""

from ras.retention.kinds.access_audit import AccessAudit
from ras.retention.kinds.base import RetentionKind, Tally
from ras.retention.kinds.closed_cases import ClosedCases
from ras.retention.kinds.drafts import AbandonedDrafts
from ras.retention.kinds.ended_sessions import EndedSessions
from ras.retention.kinds.sign_ins import SignIns

KINDS: tuple[RetentionKind, ...] = (
    AbandonedDrafts(),
    ClosedCases(),
    AccessAudit(),
    SignIns(),
    EndedSessions(),
)

__all__ = ["KINDS", "RetentionKind", "Tally"]
