"""Forms of the recalculation pages. They check what was typed; the services decide the rest.

Starting a run names a table version, an optional range of submission dates (GOV.UK date inputs:
day, month and year boxes), which cases to include and, optionally, other points for some options
of the questionnaire (what-if scoring: a box per option, prefilled with its points; only changed
ones count). A hidden request token, made when the form is shown, lets the service turn a double
click into one run.
"""

import datetime
import re
import uuid
from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from allocations.models import AllocationTableVersion, RecalculationRun
from questionnaires.models import Option

EVERY_SUBMITTED_CASE = "all"
DECIDED_CASES_ONLY = "decided"
PAGE_INCOMPLETE = "The page was incomplete, so no run was started. Check your answers and try again"
DATE_PARTS = ("day", "month", "year")
DATE_FIELDS = {
    "submitted_from": "The first submission date",
    "submitted_to": "The last submission date",
}

_WHOLE_NUMBER = re.compile(r"^\d+$")
MAX_WHAT_IF_POINTS = 1000


def _date_part_field() -> forms.CharField:
    return forms.CharField(required=False, strip=True, max_length=20)


class RunStartForm(forms.Form):
    """A table version, an optional range of submission dates, and which cases to include."""

    version = forms.IntegerField(
        label="Table version",
        error_messages={
            "required": "Select the table version to run",
            "invalid": "Select the table version to run",
        },
    )
    submitted_from_day = _date_part_field()
    submitted_from_month = _date_part_field()
    submitted_from_year = _date_part_field()
    submitted_to_day = _date_part_field()
    submitted_to_month = _date_part_field()
    submitted_to_year = _date_part_field()
    cases = forms.ChoiceField(
        label="Which cases?",
        widget=forms.RadioSelect,
        choices=[
            (EVERY_SUBMITTED_CASE, "Every submitted case"),
            (DECIDED_CASES_ONLY, "Only cases with a decided budget"),
        ],
        error_messages={
            "required": "Select which cases to include",
            "invalid_choice": "Select which cases to include",
        },
    )
    request_token = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={"required": PAGE_INCOMPLETE, "invalid": PAGE_INCOMPLETE},
    )

    def __init__(
        self,
        *args: Any,
        versions: Iterable[AllocationTableVersion],
        today: datetime.date,
        options: Iterable[Option] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.versions = {version.pk: version for version in versions}
        self.today = today
        self._fresh_token = False
        self.options = list(options)
        for option in self.options:
            self.fields[points_field_name(option)] = forms.CharField(
                required=False, strip=True, max_length=20, initial=str(option.points)
            )

    def clean_version(self) -> AllocationTableVersion:
        version = self.versions.get(self.cleaned_data["version"])
        if version is None:
            raise ValidationError("Select a table version from the list")
        return version

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, what in DATE_FIELDS.items():
            cleaned[name] = self._date(name, what)
            if cleaned[name] is not None and cleaned[name] > self.today:
                self.add_error(f"{name}_day", f"{what} must be today or in the past")
        first, last = cleaned.get("submitted_from"), cleaned.get("submitted_to")
        if first is not None and last is not None and last < first:
            self.add_error(
                "submitted_to_day",
                "The last submission date must be the same as or after the first",
            )
        cleaned["decided_only"] = cleaned.get("cases") == DECIDED_CASES_ONLY
        cleaned["option_points"] = self._option_points()
        return cleaned

    def _option_points(self) -> dict[int, int] | None:
        """The what-if points of the options whose box differs from their points (a box left
        blank or not sent keeps them); None when none differs. A box that is not a whole number
        from 0 to 1,000 gets an error."""
        changed = {}
        for option in self.options:
            name = points_field_name(option)
            typed = self.cleaned_data.get(name) or ""
            if self.has_error(name) or not typed:
                continue
            if not _WHOLE_NUMBER.match(typed) or int(typed) > MAX_WHAT_IF_POINTS:
                self.add_error(
                    name,
                    f"Points for ‘{option.question.text}’ – ‘{option.label}’ "
                    f"must be a whole number from 0 to {MAX_WHAT_IF_POINTS:,}",
                )
                continue
            if int(typed) != option.points:
                changed[option.pk] = int(typed)
        return changed or None

    def _date(self, name: str, what: str) -> datetime.date | None:
        """The date typed in the three boxes of `name`; None if all are blank or it is wrong,
        in which case the error is on the box to correct."""
        if any(self.has_error(f"{name}_{part}") for part in DATE_PARTS):
            return None
        parts = {part: self.cleaned_data.get(f"{name}_{part}") or "" for part in DATE_PARTS}
        missing = [part for part in DATE_PARTS if not parts[part]]
        if len(missing) == len(DATE_PARTS):
            return None
        if missing:
            self.add_error(f"{name}_{missing[0]}", f"{what} must include a {' and '.join(missing)}")
            return None
        if not all(_WHOLE_NUMBER.match(text) for text in parts.values()) or any(
            len(parts[part]) > 2 for part in ("day", "month")
        ):
            self.add_error(f"{name}_day", f"{what} must be a real date")
            return None
        if len(parts["year"]) != 4:
            self.add_error(f"{name}_year", "Year must include 4 numbers")
            return None
        try:
            return datetime.date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
        except ValueError:
            self.add_error(f"{name}_day", f"{what} must be a real date")
            return None

    def date_errors(self, name: str) -> list[str]:
        """The errors of one date's three boxes, shown together above them."""
        return [
            str(error) for part in DATE_PARTS for error in self.errors.get(f"{name}_{part}", [])
        ]

    @property
    def submitted_from_errors(self) -> list[str]:
        return self.date_errors("submitted_from")

    @property
    def submitted_to_errors(self) -> list[str]:
        return self.date_errors("submitted_to")

    def fresh_token(self) -> None:
        """Give the page a new token: the posted one cannot start a run (it started another)."""
        self._fresh_token = True

    def token_for_page(self) -> str:
        """The token the page carries: the one posted if it was a token, else a new one, so
        fixing a mistake and sending the form again still starts one run."""
        posted = (
            self.data.get("request_token", "") if self.is_bound and not self._fresh_token else ""
        )
        try:
            return str(uuid.UUID(str(posted)))
        except ValueError:
            return str(uuid.uuid4())


def points_field_name(option: Option) -> str:
    """The name of the what-if points box of `option`."""
    return f"points_{option.pk}"


class RunCompareForm(forms.Form):
    """Two runs to compare: A (usually of the published table) and B (usually of a draft)."""

    a = forms.IntegerField(
        label="Compare from (A)",
        error_messages={"required": "Select run A", "invalid": "Select run A"},
    )
    b = forms.IntegerField(
        label="With (B)",
        error_messages={"required": "Select run B", "invalid": "Select run B"},
    )

    def __init__(self, *args: Any, runs: Iterable[RecalculationRun], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.runs = {run.pk: run for run in runs}

    def clean_a(self) -> RecalculationRun:
        return self._run("a", "Select run A from the list")

    def clean_b(self) -> RecalculationRun:
        return self._run("b", "Select run B from the list")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        run_a, run_b = cleaned.get("a"), cleaned.get("b")
        if run_a is not None and run_a == run_b:
            self.add_error("b", "Select two different runs")
        return cleaned

    def _run(self, name: str, message: str) -> RecalculationRun:
        run = self.runs.get(self.cleaned_data[name])
        if run is None:
            raise ValidationError(message)
        return run
