"""Money is a Decimal amount beside an ISO 4217 code, quantised to the currency's minor unit."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

from domain.errors import ValidationError
from domain.input_policy import check_amount, parse_decimal
from domain.texts import N_, Text

# ISO 4217 minor units; every other active code below uses two decimals.
_ZERO_DECIMALS = frozenset(
    "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF".split()
)
_THREE_DECIMALS = frozenset("BHD IQD JOD KWD LYD OMR TND".split())
_FOUR_DECIMALS = frozenset("CLF UYW".split())
_TWO_DECIMALS = frozenset(
    """AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP BYN
    BZD CAD CDF CHF CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS
    GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR
    LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD
    PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN
    SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD UYU UZS VES WST XCD XCG YER ZAR ZMW
    ZWG""".split()
)
CURRENCIES = _ZERO_DECIMALS | _THREE_DECIMALS | _FOUR_DECIMALS | _TWO_DECIMALS


def minor_units(currency: str) -> int:
    if currency in _ZERO_DECIMALS:
        return 0
    if currency in _THREE_DECIMALS:
        return 3
    if currency in _FOUR_DECIMALS:
        return 4
    return 2


def check_currency(code: str, field: str = "currency") -> str:
    if code not in CURRENCIES:
        raise ValidationError(field, Text.of(N_("%(value)s is not an ISO 4217 currency code"),
                                             value=repr(code)))
    return code


def plain(value: Decimal) -> Decimal:
    """`value` without trailing zeros and never in exponent form (10, not 1E+1), so that
    `str()` of it is plain digits wherever it is shown: JSON, CSV, journal, templates."""
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal.as_tuple().exponent > 0 else normal  # type: ignore[operator]


_STEPS = tuple(Decimal(1).scaleb(-digits) for digits in range(5))  # by minor units


def quantize(amount: Decimal, currency: str) -> Decimal:
    return amount.quantize(_STEPS[minor_units(currency)], rounding=ROUND_HALF_EVEN)


def parse_amount(value: object, currency: str, field: str) -> Decimal:
    """Read a decimal string (or int/Decimal) written plainly (`12.50`: the input policy's
    `parse_decimal`) as an amount in `currency`; floats are refused on purpose."""
    amount = parse_decimal(value, field)
    if amount < 0:
        raise ValidationError(field, Text(N_("must not be negative")))
    return check_digits(check_amount(amount, field), currency, field)


def check_digits(amount: Decimal, currency: str, field: str) -> Decimal:
    """`amount` quantised to `currency`'s ISO 4217 digits; ValidationError when it has more
    (never rounded: every channel refuses `1.999` EUR the same way)."""
    if amount != quantize(amount, currency):
        places = minor_units(currency)
        raise ValidationError(field, Text.of(
            N_("%(currency)s amounts have at most %(places)s decimal places"),
            currency=currency, places=places))
    return quantize(amount, currency)
