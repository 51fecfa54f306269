"""The decorators that record, through `access_record`, each view of a person's records.

    @records_access(AccessKind.CASE, subjects=decision_subject)
    @role_required(*CASE_VIEW_ROLES)
    def case_page(request, decision_id): ...

`subjects` is given the view's URL keyword arguments and returns what the view shows (see
`Subject`); without it the view is a list of people, recorded once with no person. A row is
written only when the view answered with the record: a page or file (2xx), or a form shown
again with its errors (400, 409). A redirect, a refusal (403, 404) or an error records nothing,
since nothing was shown. If the row cannot be written the response is not sent either.

Each decorated view carries its kind in `ACCESS_KIND_ATTRIBUTE`, so a test can find every
recorded view and check that no view showing a person's record was left out.
"""

from collections.abc import Callable, Iterable, Mapping
from functools import wraps
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponseBase
from rest_framework.request import Request

from ras.audit.models import AccessKind
from ras.audit.services import Subject, access_record

ACCESS_KIND_ATTRIBUTE = "access_recorded_as"
SHOWN_AGAIN_WITH_ERRORS = frozenset({400, 409})

SubjectsOf = Callable[[Mapping[str, Any]], Iterable[Subject]]
View = TypeVar("View", bound=Callable[..., HttpResponseBase])
Method = TypeVar("Method", bound=Callable[..., Any])


def records_access(
    kind: AccessKind, *, subjects: SubjectsOf | None = None
) -> Callable[[View], View]:
    """Records each time the decorated view shows a person's records (see the module)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            response = view(request, *args, **kwargs)
            _record_if_shown(request, response, kind, subjects, kwargs)
            return response

        wrapped.__dict__[ACCESS_KIND_ATTRIBUTE] = kind
        return wrapped  # type: ignore[return-value]

    return decorator


def records_api_access(
    kind: AccessKind, *, subjects: SubjectsOf | None = None
) -> Callable[[Method], Method]:
    """`records_access` for an action of a REST framework view set (a method taking `self`)."""

    def decorator(method: Method) -> Method:
        @wraps(method)
        def wrapped(self: Any, request: Request, *args: Any, **kwargs: Any) -> Any:
            response = method(self, request, *args, **kwargs)
            _record_if_shown(request, response, kind, subjects, kwargs)
            return response

        wrapped.__dict__[ACCESS_KIND_ATTRIBUTE] = kind
        return wrapped  # type: ignore[return-value]

    return decorator


def recorded_kind(view: Callable[..., Any]) -> AccessKind | None:
    """The kind of record a view is recorded as showing, or None for a view not recorded."""
    kind = getattr(view, ACCESS_KIND_ATTRIBUTE, None)
    return kind if isinstance(kind, AccessKind) else None


def _record_if_shown(
    request: HttpRequest | Request,
    response: HttpResponseBase,
    kind: AccessKind,
    subjects: SubjectsOf | None,
    view_kwargs: Mapping[str, Any],
) -> None:
    status = response.status_code
    if not (200 <= status < 300 or status in SHOWN_AGAIN_WITH_ERRORS):
        return
    shown = (
        [Subject(None, _list_reference(view_kwargs))] if subjects is None else subjects(view_kwargs)
    )
    access_record(request, kind=kind, subjects=shown)


def _list_reference(view_kwargs: Mapping[str, Any]) -> str:
    # A list's URL arguments say which list (a run number, a table's name); URL arguments never
    # hold personal data (a test checks every route).
    return ", ".join(f"{name} {value}" for name, value in sorted(view_kwargs.items()))
