"""One cell's value as pence, basis points or points, read exactly.

Nothing here multiplies a float. A number a workbook stores as a binary float is first written
out to the 15 significant digits Excel itself works with (so the 3000.1 Excel stores for a typed
3000.10 reads as exactly 3000.1, and 0.30000000000000004 reads as the 0.3 Excel shows), then read
as a Decimal; text is read as a Decimal directly. An amount that is not a whole number of pence,
or a percentage that is not a whole number of basis points, is refused, never rounded.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

CellValue = (
    str
    | int
    | float
    | Decimal
    | bool
    | datetime.datetime
    | datetime.date
    | datetime.time
    | datetime.timedelta
    | None
)

PLAIN_KINDS = (
    str,
    int,
    float,
    Decimal,
    datetime.datetime,
    datetime.date,
    datetime.time,
    datetime.timedelta,
)

MAX_PENCE = 100_000_000_000  # £1,000,000,000.00: far above any care budget
MAX_POINTS = 1_000_000
EXCEL_SIGNIFICANT_DIGITS = 15
SHOWN_TEXT_LENGTH = 40

_PLAIN_NUMBER = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+")
_MINUS_SIGNS = ("-", "\N{MINUS SIGN}")


class CellValueError(ValueError):
    """The cell cannot be read as the value its column needs; the message says why."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def is_blank(value: CellValue) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def shown(value: CellValue) -> str:
    """The value quoted as a person sees it in the cell: `'3,000.505'`, `'TRUE'`."""
    if isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, float):
        text = format(value, f".{EXCEL_SIGNIFICANT_DIGITS}g")
    elif isinstance(value, datetime.datetime | datetime.date):
        text = f"{value:%-d %B %Y}"
    elif value is None:
        text = ""
    else:
        text = str(value).strip()
    if len(text) > SHOWN_TEXT_LENGTH:
        text = text[: SHOWN_TEXT_LENGTH - 1] + "…"
    return f"'{text}'"


def pence_from_cell(value: CellValue) -> int:
    """Pounds and pence in a cell (a number, or text like `3,000.50` or `£3,000.50`) as pence.

    Raises CellValueError for a blank cell, anything that is not an amount, more than 2 decimal
    places, an amount below £0.00 or above £1,000,000,000.00.
    """
    if is_blank(value):
        raise CellValueError("is blank; enter an amount in pounds and pence, or 0")
    amount = _decimal(value, symbol="£", what="an amount in pounds and pence, like 3000.50")
    pence = amount * 100
    if pence != pence.to_integral_value():
        raise CellValueError(
            f"{shown(value)} has more than 2 decimal places; amounts are pounds and pence"
        )
    if amount < 0:
        raise CellValueError(f"{shown(value)} is below £0.00; amounts must be £0.00 or more")
    if pence > MAX_PENCE:
        raise CellValueError(f"{shown(value)} is more than £1,000,000,000.00; check the amount")
    return int(pence)


def basis_points_from_cell(value: CellValue, *, is_fraction: bool = False) -> int:
    """A percentage in a cell (`12.5`, `12.50%`) as basis points (12.5% is 1,250).

    `is_fraction` is for a cell formatted as a percentage, which holds 0.125 and shows 12.50%.
    Raises CellValueError for a blank cell, anything that is not a number, more than 2 decimal
    places, or a percentage outside 0 to 100.
    """
    if is_blank(value):
        raise CellValueError("is blank; enter the reduction as a percentage from 0 to 100")
    percentage = _decimal(value, symbol="%", what="a percentage from 0 to 100, like 12.5")
    if is_fraction and not isinstance(value, str):
        percentage *= 100
    basis_points = percentage * 100
    if basis_points != basis_points.to_integral_value():
        raise CellValueError(
            f"{shown(value)} has more than 2 decimal places; give the percentage to at most "
            "2 decimal places, like 12.25"
        )
    if not 0 <= percentage <= 100:
        raise CellValueError(
            f"{shown(value)} is not between 0 and 100; a reduction is from 0% to 100%"
        )
    return int(basis_points)


def points_from_cell(value: CellValue, *, blank_message: str) -> int | None:
    """A whole number of points, or None for a blank cell when `blank_message` is empty.

    Raises CellValueError for a blank cell (with `blank_message`), a number that is not whole,
    anything that is not a number, or points below 0 or above 1,000,000.
    """
    if is_blank(value):
        if blank_message:
            raise CellValueError(blank_message)
        return None
    points = _decimal(value, symbol=None, what="a whole number of points, like 20")
    if points != points.to_integral_value():
        raise CellValueError(f"{shown(value)} is not a whole number of points")
    if points < 0:
        raise CellValueError(f"{shown(value)} is below 0; points must be 0 or more")
    if points > MAX_POINTS:
        raise CellValueError(f"{shown(value)} is more than 1,000,000 points; check the number")
    return int(points)


def _decimal(value: CellValue, *, symbol: str | None, what: str) -> Decimal:
    """The cell's number, exactly; `symbol` (£ or %) may be typed with a number in text."""
    if isinstance(value, bool):
        raise CellValueError(f"{shown(value)} is not {what}")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return _finite(Decimal(format(value, f".{EXCEL_SIGNIFICANT_DIGITS}g")), value, what)
    if isinstance(value, Decimal):
        return _finite(value, value, what)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time | datetime.timedelta):
        raise CellValueError(f"{shown(value)} is a date or time, not {what}")
    if isinstance(value, str):
        return _decimal_from_text(value, symbol=symbol, what=what)
    raise CellValueError(f"{shown(value)} is not {what}")


def _finite(number: Decimal, value: CellValue, what: str) -> Decimal:
    if not number.is_finite():
        raise CellValueError(f"{shown(value)} is not {what}")
    return number


def _decimal_from_text(text: str, *, symbol: str | None, what: str) -> Decimal:
    cleaned = text.strip()
    negative = False
    if cleaned.startswith(_MINUS_SIGNS):
        negative, cleaned = True, cleaned[1:].lstrip()
    if symbol == "£" and cleaned.startswith("£"):
        cleaned = cleaned[1:].lstrip()
    elif symbol == "%" and cleaned.endswith("%"):
        cleaned = cleaned[:-1].rstrip()
    if not negative and cleaned.startswith(_MINUS_SIGNS):  # written £-5.00
        negative, cleaned = True, cleaned[1:].lstrip()
    if not _PLAIN_NUMBER.fullmatch(cleaned):
        raise CellValueError(f"{shown(text)} is not {what}")
    try:
        number = Decimal(cleaned.replace(",", ""))
    except InvalidOperation as error:  # the pattern above admits only plain numbers
        raise CellValueError(f"{shown(text)} is not {what}") from error
    return -number if negative else number
