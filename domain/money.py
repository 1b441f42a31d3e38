"""Money is a Decimal amount beside an ISO 4217 code, quantised to the currency's minor unit."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from domain.errors import ValidationError
from domain.input_policy import check_amount
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


def quantize(amount: Decimal, currency: str) -> Decimal:
    return amount.quantize(Decimal(1).scaleb(-minor_units(currency)), rounding=ROUND_HALF_EVEN)


def parse_amount(value: object, currency: str, field: str) -> Decimal:
    """Read a decimal string (or int/Decimal) as an amount; floats are refused on purpose."""
    if isinstance(value, (bool, float)):
        raise ValidationError(field, Text(N_('must be a decimal string such as "12.50"')))
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError(field, Text.of(N_("%(value)s is not a decimal amount"),
                                             value=repr(value))) from None
    if not amount.is_finite():
        raise ValidationError(field, Text(N_("must be a finite amount")))
    if amount < 0:
        raise ValidationError(field, Text(N_("must not be negative")))
    check_amount(amount, field)
    if amount != quantize(amount, currency):
        places = minor_units(currency)
        raise ValidationError(field, Text.of(
            N_("%(currency)s amounts have at most %(places)s decimal places"),
            currency=currency, places=places))
    return quantize(amount, currency)
