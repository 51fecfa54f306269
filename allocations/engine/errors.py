"""Errors raised by the pricing engine."""


class PricingError(ValueError):
    """A figure cannot be priced; the message is a sentence a person can act on."""
