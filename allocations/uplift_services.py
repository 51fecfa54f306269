"""The annual uplift of a published table: a new draft with every money figure raised.

The draft is made through the one door for table changes (`allocations.services`): created as a
copy of the published version, then saved with the uplifted bands, so its history says what was
done and why. Nobody's budget changes: the draft is run, compared and published as usual.
"""

from django.db import transaction

from allocations import engine
from allocations.models import AllocationTableVersion, TableStatus
from allocations.selectors import engine_table
from allocations.services import (
    TableChangeRefused,
    require_finance_lead,
    table_draft_create,
    table_draft_save,
)
from ras.accounts.models import User

LABEL_MAX_LENGTH = 120


@transaction.atomic
def table_draft_uplift(
    *, source: AllocationTableVersion, actor: User, percent_bp: int, label: str
) -> AllocationTableVersion:
    """A new draft of `source`'s client group: its bands with every money figure raised by
    `percent_bp` basis points (350 = 3.5%), each rounded half up to the penny; the points and
    the carer reductions are copied unchanged.

    Only a published version is uplifted: the draft's history then names a table that never
    changes. Raises PermissionDenied unless `actor` is a finance lead, and TableChangeRefused
    (nothing created) for a source that is not published, an uplift below 0% or above 100%, or
    a missing or too long label.
    """
    require_finance_lead(actor)
    problems = []
    label = label.strip()
    if not label:
        problems.append("Enter a name for the draft")
    elif len(label) > LABEL_MAX_LENGTH:
        problems.append(f"The name must be {LABEL_MAX_LENGTH} characters or fewer")
    if source.status != TableStatus.PUBLISHED:
        status = "a draft" if source.status == TableStatus.DRAFT else "retired"
        problems.append(
            f"'{source.label}' is {status}: only a published table can be uplifted. "
            "Change a draft's amounts by editing its bands."
        )
    table = engine_table(source)
    try:
        bands = engine.uplift_bands(table.bands, percent_bp)
    except engine.PricingError as error:
        problems.append(str(error))
        bands = ()
    if problems:
        raise TableChangeRefused(problems)
    draft = table_draft_create(
        client_group=source.client_group, actor=actor, label=label, clone_from=source
    )
    return table_draft_save(
        version=draft,
        actor=actor,
        label=label,
        bands=bands,
        carer_reductions_bp=dict(table.carer_reductions_bp),
        expected_edit_number=draft.edit_number,
        reason=(
            f"{engine.format_percentage(percent_bp)} uplift of every amount in "
            f"'{source.label}', each rounded half up to the penny"
        ),
    )
