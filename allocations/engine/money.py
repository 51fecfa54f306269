"""Money arithmetic and wording shared by the pricing engine.

Money is always an integer number of pence; rates of reduction are integer basis points
(1 basis point = 0.01%, so 10,000 basis points = 100%).
"""

BASIS_POINTS_IN_WHOLE = 10_000


def rhu(numerator: int, denominator: int) -> int:
    """Divide two whole numbers and round half up to a whole number.

    The result is ``(2 * numerator + denominator) // (2 * denominator)``: the only rounding in
    the pricing rule. An exact half rounds up, so
    ``rhu(26, 52) == 1`` and ``rhu(25, 52) == 0``.

    Raises:
        ValueError: if the numerator is negative or the denominator is zero or negative.
    """
    if numerator < 0:
        raise ValueError(f"Cannot round {numerator}: the number to divide must be 0 or more.")
    if denominator <= 0:
        raise ValueError(f"Cannot divide by {denominator}: the divisor must be more than 0.")
    return (2 * numerator + denominator) // (2 * denominator)


def format_pounds(pence: int) -> str:
    """Write an amount of pence as pounds with thousands separators and two decimals.

    ``format_pounds(995_400) == "£9,954.00"``; a negative amount gets a leading minus sign,
    ``format_pounds(-5) == "-£0.05"``.
    """
    sign = "-" if pence < 0 else ""
    pounds, remainder_pence = divmod(abs(pence), 100)
    return f"{sign}£{pounds:,}.{remainder_pence:02d}"


def format_percentage(basis_points: int) -> str:
    """Write basis points as a percentage with two decimals.

    ``format_percentage(1250) == "12.50%"``; 10,000 basis points are ``"100.00%"``.
    """
    sign = "-" if basis_points < 0 else ""
    whole, hundredths = divmod(abs(basis_points), 100)
    return f"{sign}{whole}.{hundredths:02d}%"
