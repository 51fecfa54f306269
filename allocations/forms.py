"""Forms of the finance lead's table pages. They check what was typed; the services decide the rest.

Pounds and percentages typed by people are read as text and turned into whole pence and basis
points with Decimal, never float, with at most 2 decimal places. Whether bands fit together, and
whether a reduction is at most 100%, is the pricing engine's call (through the services), so the
page shows the engine's own sentences for those.
"""

import datetime
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError

from allocations import engine
from allocations.models import AllocationTableVersion
from questionnaires.carer_levels import CARER_LEVELS, CarerLevel

MAX_BANDS = 500
MAX_POINTS = 10_000
MAX_POUNDS = Decimal(10_000_000)
EMPTY_TABLE = "empty"
REDUCTION_PREFIX = "reduction_"

_NUMBER = re.compile(r"^\d+(?:\.(\d*))?$|^\.(\d+)$")
_WHOLE_NUMBER = re.compile(r"^\d+$")


def _sign_and_digits(text: str, *, symbol: str = "") -> tuple[bool, str]:
    """Whether `text` is negative, and the rest without spaces, commas, sign or `symbol`.

    "-£1,000", "£-1,000" and "- 1000" are all (True, "1000").
    """
    rest = text.strip().replace(",", "").replace(" ", "")
    negative = rest.startswith("-")
    rest = rest.removeprefix("-")
    if symbol:
        rest = rest.removeprefix(symbol)
        if rest.startswith("-"):
            negative, rest = True, rest.removeprefix("-")
    return negative, rest


def pence_from_pounds(text: str, *, what: str) -> int:
    """Pounds typed by a person, like "£3,000.50", in whole pence (300050).

    `what` names the amount in the error messages. Raises ValidationError for anything that is not
    an amount of money, has more than 2 decimal places, is negative or is above £10,000,000.
    """
    negative, digits = _sign_and_digits(text, symbol="£")
    match = _NUMBER.match(digits)
    if match is None:
        raise ValidationError(f"{what} must be an amount of money, like 3000.50")
    if len(match.group(1) or match.group(2) or "") > 2:
        raise ValidationError(f"{what} must have no more than 2 decimal places")
    pounds = Decimal(digits) if len(digits) <= 20 else MAX_POUNDS + 1
    if negative and pounds:
        raise ValidationError(f"{what} must be £0.00 or more")
    if pounds > MAX_POUNDS:
        raise ValidationError(f"{what} must be £{MAX_POUNDS:,} or less")
    return int(pounds * 100)


def basis_points_from_percentage(text: str, *, what: str) -> int:
    """A percentage typed by a person, like "12.5" or "12.5%", in basis points (1250).

    Raises ValidationError for anything that is not a number, has more than 2 decimal places or
    is negative. Whether it is at most 100% is left to the engine's check of the whole table.
    """
    negative, digits = _sign_and_digits(text.strip().removesuffix("%"))
    match = _NUMBER.match(digits)
    if match is None:
        raise ValidationError(f"{what} must be a percentage, like 12.5")
    if len(match.group(1) or match.group(2) or "") > 2:
        raise ValidationError(f"{what} must have no more than 2 decimal places")
    if len(digits) > 12:
        raise ValidationError(f"{what} must be between 0% and 100%")
    percentage = Decimal(digits)
    if negative and percentage:
        raise ValidationError(f"{what} must be 0% or more")
    return int(percentage * 100)


def points_from_text(text: str, *, what: str, example: str) -> int:
    """Whole points typed by a person. Raises ValidationError unless 0 to 10,000."""
    negative, digits = _sign_and_digits(text)
    if not _WHOLE_NUMBER.match(digits):
        raise ValidationError(f"{what} must be a whole number, like {example}")
    points = int(digits) if len(digits) <= 6 else MAX_POINTS + 1
    if negative and points:
        raise ValidationError(f"{what} must be 0 or more")
    if points > MAX_POINTS:
        raise ValidationError(f"{what} must be {MAX_POINTS:,} or fewer")
    return points


def pounds_text(pence: int) -> str:
    """Pence as pounds for an input box, with no £ sign or commas: 300050 is "3000.50"."""
    pounds, remainder = divmod(pence, 100)
    return f"{pounds}.{remainder:02d}"


def percentage_text(basis_points: int) -> str:
    """Basis points as a percentage for an input box: 1250 is "12.5", 1000 is "10"."""
    text = f"{Decimal(basis_points) / 100:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _text_field() -> forms.CharField:
    # No length limit here: the readers above say what is wrong with text that is too long.
    return forms.CharField(required=False, strip=True)


class DraftCreateForm(forms.Form):
    label = forms.CharField(
        label="Name of the draft",
        help_text='For example, "2027 to 2028". People see it beside the table once published.',
        max_length=120,
        error_messages={
            "required": "Enter a name for the draft",
            "max_length": "The name must be 120 characters or fewer",
        },
    )
    start_from = forms.ChoiceField(
        label="Start from",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what the draft starts from",
            "invalid_choice": "Select what the draft starts from",
        },
    )

    def __init__(
        self, *args: Any, versions: Iterable[AllocationTableVersion], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.versions = {str(version.pk): version for version in versions}
        choices = [(EMPTY_TABLE, "An empty table")]
        choices += [(pk, f"A copy of {version.label}") for pk, version in self.versions.items()]
        self.fields["start_from"].choices = choices  # type: ignore[attr-defined]

    def clone_from(self) -> AllocationTableVersion | None:
        """The version chosen to copy, or None for an empty table."""
        return self.versions.get(self.cleaned_data["start_from"])


class BandForm(forms.Form):
    """One row of bands. A row left blank, or marked "remove", is not part of the table."""

    min_points = _text_field()
    max_points = _text_field()
    base_pounds = _text_field()
    per_point_pounds = _text_field()
    remove = forms.BooleanField(required=False)

    def __init__(self, *args: Any, row_number: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.row_number = row_number
        self.band: engine.Band | None = None

    @property
    def row_name(self) -> str:
        """What the page calls the row: "Band 3"."""
        return f"Band {self.row_number}"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        texts = {name: cleaned.get(name) or "" for name in ENGINE_FIELD_FOR_FORM_FIELD}
        if cleaned.get("remove") or not any(texts.values()):
            return cleaned
        prefix = f"{self.row_name}:"
        values: dict[str, int | None] = {}
        readers = {
            "min_points": lambda text: points_from_text(
                text, what=f"{prefix} the lowest points", example="20"
            ),
            "max_points": lambda text: points_from_text(
                text, what=f"{prefix} the highest points", example="49"
            ),
            "base_pounds": lambda text: pence_from_pounds(
                text, what=f"{prefix} the amount a year at the lowest points"
            ),
            "per_point_pounds": lambda text: pence_from_pounds(
                text, what=f"{prefix} the amount a year for each point above"
            ),
        }
        missing = {
            "min_points": f"{prefix} enter the lowest points",
            "base_pounds": f"{prefix} enter the amount a year at the lowest points",
            "per_point_pounds": f"{prefix} enter the amount a year for each point above",
        }
        for name, text in texts.items():
            if not text:
                if name in missing:
                    self.add_error(name, missing[name])
                values[name] = None
                continue
            try:
                values[name] = readers[name](text)
            except ValidationError as error:
                self.add_error(name, error)
        if not self.errors:
            self.band = engine.Band(
                min_points=values["min_points"] or 0,
                max_points=values["max_points"],
                base_pence=values["base_pounds"] or 0,
                per_point_pence=values["per_point_pounds"] or 0,
            )
        return cleaned


# Each band input of the form, and the engine's name for that field in a TableProblem.
ENGINE_FIELD_FOR_FORM_FIELD = {
    "min_points": "min_points",
    "max_points": "max_points",
    "base_pounds": "base_pence",
    "per_point_pounds": "per_point_pence",
}
FORM_FIELD_FOR_ENGINE_FIELD = {value: key for key, value in ENGINE_FIELD_FOR_FORM_FIELD.items()}


if TYPE_CHECKING:
    BandFormSetBase = forms.BaseFormSet[BandForm]
else:
    BandFormSetBase = forms.BaseFormSet


class BaseBandFormSet(BandFormSetBase):
    default_error_messages = {
        "missing_management_form": (
            "The page was incomplete, so nothing was saved. Open the draft again and make your "
            "change"
        ),
        "too_many_forms": f"A table can have at most {MAX_BANDS:,} bands",
    }

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs = super().get_form_kwargs(index)
        kwargs["row_number"] = 0 if index is None else index + 1
        return kwargs

    def rows_with_bands(self) -> list[int]:
        """The index of each row that holds a band, in order: band n is row rows[n - 1]."""
        return [index for index, form in enumerate(self.forms) if form.band is not None]

    def bands(self) -> list[engine.Band]:
        return [form.band for form in self.forms if form.band is not None]


def _band_formset_class(extra_rows: int) -> type[BaseBandFormSet]:
    return cast(
        type[BaseBandFormSet],
        forms.formset_factory(
            BandForm,
            formset=BaseBandFormSet,
            extra=extra_rows,
            max_num=MAX_BANDS,
            validate_max=True,
            absolute_max=MAX_BANDS,
        ),
    )


def band_formset(
    *,
    data: Mapping[str, Any] | None = None,
    version: AllocationTableVersion | None = None,
    extra_rows: int = 3,
) -> BaseBandFormSet:
    """The bands of `version` as rows, with `extra_rows` blank rows to add bands; or POSTed rows."""
    if data is not None:
        return _band_formset_class(0)(data=data, prefix="bands")
    initial = [
        {
            "min_points": str(band.min_points),
            "max_points": "" if band.max_points is None else str(band.max_points),
            "base_pounds": pounds_text(band.base_pence),
            "per_point_pounds": pounds_text(band.per_point_pence),
        }
        for band in (version.bands.all() if version is not None else [])
    ]
    return _band_formset_class(extra_rows)(initial=initial, prefix="bands")


class DraftEditForm(forms.Form):
    """A draft's label and carer reductions (one field per carer level), and the edit's reason."""

    label = forms.CharField(
        label="Name of the draft",
        max_length=120,
        error_messages={
            "required": "Enter a name for the draft",
            "max_length": "The name must be 120 characters or fewer",
        },
    )
    reason = forms.CharField(
        label="Reason for this change",
        help_text=(
            'For example, "3% uplift for 2027 to 2028, agreed by the finance board". '
            "It is kept in the table's history."
        ),
        max_length=1000,
        widget=forms.Textarea,
        error_messages={
            "required": "Enter the reason for this change",
            "max_length": "The reason must be 1,000 characters or fewer",
        },
    )
    edit_number = forms.IntegerField(
        min_value=0,
        widget=forms.HiddenInput,
        error_messages={
            "required": "The page was incomplete, so nothing was saved. Open the draft again",
            "invalid": "The page was incomplete, so nothing was saved. Open the draft again",
            "min_value": "The page was incomplete, so nothing was saved. Open the draft again",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for level in CARER_LEVELS:
            self.fields[reduction_field_name(level.code)] = _text_field()
            self.fields[reduction_field_name(level.code)].label = level.label

    @property
    def reduction_fields(self) -> list[tuple[CarerLevel, forms.BoundField]]:
        return [(level, self[reduction_field_name(level.code)]) for level in CARER_LEVELS]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        known = {reduction_field_name(level.code) for level in CARER_LEVELS}
        unknown = sorted(
            name.removeprefix(REDUCTION_PREFIX)
            for name in self.data
            if name.startswith(REDUCTION_PREFIX) and name not in known
        )
        if unknown:
            raise ValidationError(
                "The form had a reduction for a carer level the questionnaire does not have ("
                + ", ".join(f"'{level}'" for level in unknown)
                + "), so nothing was saved. Open the draft again and make your change"
            )
        for level in CARER_LEVELS:
            name = reduction_field_name(level.code)
            text = cleaned.get(name) or ""
            if not text:
                cleaned[name] = None
                continue
            try:
                cleaned[name] = basis_points_from_percentage(
                    text, what=f"The reduction for '{level.label}'"
                )
            except ValidationError as error:
                self.add_error(name, error)
        return cleaned

    def carer_reductions_bp(self) -> dict[str, int]:
        """The reductions typed, by carer level code; a level left blank is left out."""
        reductions = {}
        for level in CARER_LEVELS:
            value = self.cleaned_data.get(reduction_field_name(level.code))
            if value is not None:
                reductions[level.code] = value
        return reductions


def reduction_field_name(carer_level: str) -> str:
    return f"{REDUCTION_PREFIX}{carer_level}"


def draft_edit_initial(version: AllocationTableVersion) -> dict[str, Any]:
    initial: dict[str, Any] = {"label": version.label, "edit_number": version.edit_number}
    for reduction in version.carer_reductions.all():
        initial[reduction_field_name(reduction.carer_level)] = percentage_text(
            reduction.reduction_bp
        )
    return initial


class PublishForm(forms.Form):
    """When a draft takes effect, and why. Whether a past date is allowed is the service's call."""

    effective_from_day = _text_field()
    effective_from_month = _text_field()
    effective_from_year = _text_field()
    reason = forms.CharField(
        label="Why are you publishing this table?",
        help_text="For example, the decision that agreed it. It is published with the table.",
        max_length=1000,
        widget=forms.Textarea,
        error_messages={
            "required": "Enter why you are publishing this table",
            "max_length": "The reason must be 1,000 characters or fewer",
        },
    )
    backdating_reason = forms.CharField(
        label="If the date is before today, why must the table apply to the past?",
        help_text="Only needed when the table takes effect before today.",
        required=False,
        max_length=1000,
        widget=forms.Textarea,
        error_messages={"max_length": "The reason must be 1,000 characters or fewer"},
    )

    DATE_PARTS = ("day", "month", "year")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        parts = {part: cleaned.get(f"effective_from_{part}") or "" for part in self.DATE_PARTS}
        if any(self.has_error(f"effective_from_{part}") for part in self.DATE_PARTS):
            return cleaned
        what = "The date the table takes effect"
        missing = [part for part in self.DATE_PARTS if not parts[part]]
        if len(missing) == len(self.DATE_PARTS):
            self.add_error("effective_from_day", "Enter the date the table takes effect")
            return cleaned
        if missing:
            self.add_error(
                f"effective_from_{missing[0]}",
                f"{what} must include a {' and '.join(missing)}",
            )
            return cleaned
        if not all(_WHOLE_NUMBER.match(text) for text in parts.values()) or any(
            len(parts[part]) > 2 for part in ("day", "month")
        ):
            self.add_error("effective_from_day", f"{what} must be a real date")
            return cleaned
        if len(parts["year"]) != 4:
            self.add_error("effective_from_year", "Year must include 4 numbers")
            return cleaned
        try:
            cleaned["effective_from"] = datetime.date(
                int(parts["year"]), int(parts["month"]), int(parts["day"])
            )
        except ValueError:
            self.add_error("effective_from_day", f"{what} must be a real date")
        return cleaned

    @property
    def date_errors(self) -> list[str]:
        return [
            str(error)
            for part in self.DATE_PARTS
            for error in self.errors.get(f"effective_from_{part}", [])
        ]


class CompareForm(forms.Form):
    """Two versions to compare, of any client groups: A (from) and B (to)."""

    a = forms.IntegerField(
        label="Compare from (A)",
        error_messages={"required": "Select version A", "invalid": "Select version A"},
    )
    b = forms.IntegerField(
        label="With (B)",
        error_messages={"required": "Select version B", "invalid": "Select version B"},
    )

    def __init__(
        self, *args: Any, versions: Iterable[AllocationTableVersion], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.versions = {version.pk: version for version in versions}

    def clean_a(self) -> AllocationTableVersion:
        return self._version("a", "Select version A")

    def clean_b(self) -> AllocationTableVersion:
        return self._version("b", "Select version B")

    def _version(self, name: str, message: str) -> AllocationTableVersion:
        version = self.versions.get(self.cleaned_data[name])
        if version is None:
            raise ValidationError(message)
        return version
