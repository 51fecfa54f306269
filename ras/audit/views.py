"""The access audit for administrators: who looked at a person's records, or whose records a
member of staff looked at, between two dates; and the same as a CSV file.

Administrators only; everyone else gets 403 and anonymous visitors are sent to sign in. Looking
at the audit is itself recorded. Names are searched for by POST only, so no name is ever in an
address.
"""

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.http import require_GET, require_POST

from ras.accounts.models import User
from ras.accounts.permissions import role_required
from ras.accounts.roles import Role
from ras.audit.forms import AuditFilterForm, FindPersonForm, FindStaffForm
from ras.audit.models import AccessEvent, AccessKind
from ras.audit.selectors import access_events, people_matching, staff_matching, staff_member
from ras.audit.services import Subject, access_record
from ras.exports import csv_text
from ras.people.models import Person

PAGE_SIZE = 50
CSV_HEADER = [
    "When",
    "Who",
    "Their roles",
    "What",
    "Whose record",
    "Person's id",
    "Reference",
    "Page",
    "IP address",
    "Browser",
]

audit_page = role_required(Role.ADMINISTRATOR)


@require_GET
@audit_page
def search(request: HttpRequest) -> HttpResponse:
    """Without filters, the two find forms; with a person or a member of staff, the views."""
    if not request.GET:
        return _start_page(request)
    form = AuditFilterForm(request.GET)
    if not form.is_valid() and not _only_dates_wrong(form):
        return _start_page(request, filter_form=form, status=400)
    person, staff = _chosen(form)
    context: dict[str, Any] = {
        "form": form,
        "person": person,
        "staff": staff,
        "hidden": {name: request.GET[name] for name in ("person", "staff") if name in request.GET},
    }
    if form.errors:
        _record_looking(request, person, staff)
        return render(request, "audit/results.html", context, status=400)
    events = access_events(
        person=person,
        user=staff,
        date_from=form.cleaned_data["date_from"],
        date_to=form.cleaned_data["date_to"],
    )
    response = render(
        request,
        "audit/results.html",
        {
            **context,
            "page": Paginator(events, PAGE_SIZE).get_page(request.GET.get("page")),
            "date_from": form.cleaned_data["date_from"],
            "date_to": form.cleaned_data["date_to"],
            "query": urlencode(form.query()),
        },
    )
    # Recorded once the page is drawn, so this look is not among the views it lists.
    _record_looking(request, person, staff)
    return response


def _only_dates_wrong(form: AuditFilterForm) -> bool:
    """A person or member of staff was chosen well, and only a date needs correcting."""
    return set(form.errors) <= {"date_from", "date_to"}


@require_POST
@audit_page
def find_person(request: HttpRequest) -> HttpResponse:
    """People matching a name, an opaque id or a reference their records were seen under."""
    form = FindPersonForm(request.POST, prefix="person")
    if not form.is_valid():
        return _start_page(request, person_form=form, status=400)
    matches = people_matching(form.cleaned_data["search"])
    access_record(request, kind=AccessKind.AUDIT, subjects=[Subject(None, "Finding a person")])
    return render(request, "audit/people.html", {"matches": matches, "form": form})


@require_POST
@audit_page
def find_staff(request: HttpRequest) -> HttpResponse:
    """Members of staff matching a name or an email address."""
    form = FindStaffForm(request.POST, prefix="staff")
    if not form.is_valid():
        return _start_page(request, staff_form=form, status=400)
    matches = staff_matching(form.cleaned_data["search"])
    access_record(
        request, kind=AccessKind.AUDIT, subjects=[Subject(None, "Finding a member of staff")]
    )
    return render(request, "audit/staff.html", {"matches": matches, "form": form})


@require_GET
@audit_page
def download(request: HttpRequest) -> HttpResponse:
    """The same views as the results page, every page of them, as a formula-safe CSV file."""
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        return _start_page(request, filter_form=form, status=400)
    person, staff = _chosen(form)
    events = access_events(
        person=person,
        user=staff,
        date_from=form.cleaned_data["date_from"],
        date_to=form.cleaned_data["date_to"],
    )
    document = csv_text(
        CSV_HEADER, (_csv_row(event) for event in events.iterator(chunk_size=2_000))
    )
    _record_looking(request, person, staff)
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    return HttpResponse(
        document,
        content_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": content_disposition_header(
                as_attachment=True, filename=f"access-audit-{stamp}.csv"
            ),
        },
    )


def _start_page(request: HttpRequest, *, status: int = 200, **bound: Any) -> HttpResponse:
    context = {
        "person_form": bound.get("person_form", FindPersonForm(prefix="person")),
        "staff_form": bound.get("staff_form", FindStaffForm(prefix="staff")),
        "filter_form": bound.get("filter_form"),
    }
    return render(request, "audit/search.html", context, status=status)


def _chosen(form: AuditFilterForm) -> tuple[Person | None, User | None]:
    """The person and the member of staff the filters name; 404 for an id nobody has."""
    person = None
    staff = None
    if form.cleaned_data.get("person") is not None:
        person = Person.objects.filter(public_id=form.cleaned_data["person"]).first()
        if person is None:
            raise Http404("No such person")
    if form.cleaned_data.get("staff") is not None:
        try:
            staff = staff_member(form.cleaned_data["staff"])
        except User.DoesNotExist as missing:
            raise Http404("No such member of staff") from missing
    return person, staff


def _record_looking(request: HttpRequest, person: Person | None, staff: User | None) -> None:
    reference = "" if staff is None else f"Looked at by user {staff.pk}"
    access_record(
        request,
        kind=AccessKind.AUDIT,
        subjects=[Subject(None if person is None else person.pk, reference)],
    )


def _csv_row(event: AccessEvent) -> list[str | int | None]:
    return [
        timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"),
        event.user_name,
        event.user_roles,
        event.get_kind_display(),
        "" if event.person is None else event.person.full_name,
        "" if event.person is None else str(event.person.public_id),
        event.reference,
        event.url_name,
        event.ip_address,
        event.user_agent,
    ]
