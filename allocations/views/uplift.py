"""The annual uplift page: a new draft from a published table, every amount raised by a
percentage. Finance leads only; everyone else gets 403, and anyone signed out is sent to sign in.

The page checks what was typed, calls `allocations.uplift_services.table_draft_uplift` and shows
the new draft. A version that is not published is answered with what to do instead.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from allocations.engine import format_percentage
from allocations.models import TableStatus
from allocations.selectors import table_versions
from allocations.services import TableChangeRefused
from allocations.uplift_forms import UpliftForm
from allocations.uplift_services import table_draft_uplift
from allocations.views.finance import ErrorLink
from ras.accounts.models import User
from ras.accounts.permissions import role_required
from ras.accounts.roles import Role


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - role_required has signed them in
    return user


@never_cache
@require_http_methods(["GET", "POST"])
@role_required(Role.FINANCE_LEAD)
def uplift(request: HttpRequest, pk: int) -> HttpResponse:
    """A name and a percentage; the new draft is the published version with every amount raised."""
    version = get_object_or_404(table_versions(), pk=pk)
    if version.status != TableStatus.PUBLISHED:
        return render(
            request, "allocations/uplift/not_published.html", {"version": version}, status=409
        )
    refusals: list[str] = []
    if request.method == "POST":
        form = UpliftForm(request.POST)
        if form.is_valid():
            percent_bp: int = form.cleaned_data["uplift"]
            try:
                draft = table_draft_uplift(
                    source=version,
                    actor=_actor(request),
                    percent_bp=percent_bp,
                    label=form.cleaned_data["label"],
                )
            except TableChangeRefused as refused:
                refusals = refused.messages
            else:
                messages.success(
                    request,
                    f"Draft '{draft.label}' created: every amount in '{version.label}' raised by "
                    f"{format_percentage(percent_bp)}, each rounded half up to the penny.",
                )
                return redirect("finance:version-detail", pk=draft.pk)
    else:
        form = UpliftForm()
    error_links = [ErrorLink(f"#{form['uplift'].auto_id}", message) for message in refusals]
    for field in form:
        error_links += [ErrorLink(f"#{field.auto_id}", str(error)) for error in field.errors]
    return render(
        request,
        "allocations/uplift/uplift.html",
        {"version": version, "form": form, "error_links": error_links},
        status=400 if error_links else 200,
    )
