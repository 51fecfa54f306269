"""Subject access pages: a copy of everything held about a person, downloaded as a zip.

Staff (social workers, team managers, administrators; panel members for the cases on their
agendas) find the person, see what is held and download it. The person, or someone acting for
them, downloads their own at /your-records/. Downloads are POSTs (with the CSRF token), never
kept by a browser or proxy (`Cache-Control: no-store`), and named by the person's opaque
reference, never their name. A person the user may not copy answers 404, with no hint they exist.

Access audit: each view that shows or hands over a person's record is decorated with
`records_access`; the find page records each list of people it shows.
"""

import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ras.accounts.models import User
from ras.accounts.permissions import role_required
from ras.audit.models import AccessKind
from ras.audit.recording import records_access
from ras.audit.services import Subject, access_record
from ras.people.models import Person
from ras.subject_access.access import (
    STAFF_ROLES,
    people_acted_for,
    people_matching,
    person_acted_for,
    person_for_staff,
)
from ras.subject_access.audit_subjects import person_subject
from ras.subject_access.collect import section_counts, subject_access_collect
from ras.subject_access.export import subject_access_zip, zip_file_name
from ras.subject_access.forms import PersonSearchForm
from reviews.person_selectors import PERSON_ROLES


def _user(request: HttpRequest) -> User:
    # role_required lets signed-in users alone through.
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _zip_response(person: Person) -> HttpResponse:
    return HttpResponse(
        subject_access_zip(person),
        content_type="application/zip",
        headers={
            "Content-Disposition": content_disposition_header(
                as_attachment=True, filename=zip_file_name(person)
            ),
            # Everything held about a person: never kept by a browser or proxy.
            "Cache-Control": "no-store",
        },
    )


# Staff


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def find_person(request: HttpRequest) -> HttpResponse:
    """Find the person a request is about. A POST, so no name ends up in an address or a log."""
    user = _user(request)
    form = PersonSearchForm(request.POST if request.method == "POST" else None)
    results = None
    if form.is_bound and form.is_valid():
        results = people_matching(user, form.cleaned_data["query"])
        access_record(request, kind=AccessKind.LIST, subjects=[Subject(None, "people found")])
    return render(
        request,
        "subject_access/find.html",
        {"form": form, "results": results},
        status=400 if form.is_bound and form.errors else 200,
    )


@records_access(AccessKind.SUBJECT_ACCESS, subjects=person_subject)
@role_required(*STAFF_ROLES)
@require_GET
def person_page(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """What is held about one person, and the button that downloads it."""
    person = person_for_staff(_user(request), public_id)
    collected = subject_access_collect(person)
    return render(
        request,
        "subject_access/person.html",
        {
            "person": person,
            "account": collected["account"],
            "representatives": collected["representatives"],
            "counts": section_counts(collected),
        },
    )


@records_access(AccessKind.SUBJECT_ACCESS, subjects=person_subject)
@role_required(*STAFF_ROLES)
@require_POST
def staff_download(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Everything held about the person, as a zip."""
    return _zip_response(person_for_staff(_user(request), public_id))


# The person and those acting for them


@role_required(*PERSON_ROLES)
@require_GET
def your_records(request: HttpRequest) -> HttpResponse:
    """A download button for the user's own records and for each person they act for."""
    user = _user(request)
    people = sorted(people_acted_for(user), key=lambda person: person.user_id != user.pk)
    return render(
        request,
        "subject_access/your_records.html",
        {
            "people": people,
            "contact_phone": settings.COUNCIL_CONTACT_PHONE,
            "contact_email": settings.COUNCIL_CONTACT_EMAIL,
        },
    )


@records_access(AccessKind.SUBJECT_ACCESS, subjects=person_subject)
@role_required(*PERSON_ROLES)
@require_POST
def your_download(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Everything held about the user, or someone they act for, as a zip."""
    return _zip_response(person_acted_for(_user(request), public_id))
