"""Order, shipment, return and payment statuses in words, translated through the catalogues.

The words are English msgids (marked with `N_` so `pybabel extract` finds them); a
status we have no words for is shown as its code with spaces.
"""

from __future__ import annotations

import gettext


def N_(message: str) -> str:
    return message


STATUS_WORDS = {
    # orders
    "pending_payment": N_("awaiting payment"),
    "confirmed": N_("confirmed"),
    "picking": N_("picking"),
    "packed": N_("packed"),
    "shipped": N_("shipped"),
    "partially_shipped": N_("partly shipped"),
    "delivered": N_("delivered"),
    "completed": N_("completed"),
    "cancelled": N_("cancelled"),
    "on_hold": N_("on hold"),
    "backordered": N_("back-ordered"),
    # shipments
    "pending": N_("pending"),
    "in_transit": N_("in transit"),
    "out_for_delivery": N_("out for delivery"),
    "exception": N_("delivery problem"),
    # returns
    "requested": N_("requested"),
    "approved": N_("approved"),
    "rejected": N_("rejected"),
    "received": N_("received"),
    "refunded": N_("refunded"),
    "closed": N_("closed"),
    # payments ("pending" and "refunded" as above)
    "partially_paid": N_("partly paid"),
    "paid": N_("paid"),
    "partially_refunded": N_("partly refunded"),
}


def status_label(status: str, translations: gettext.NullTranslations) -> str:
    """`status` ("pending_payment") in words, in the language of `translations`."""
    words = STATUS_WORDS.get(status)
    return translations.gettext(words) if words else status.replace("_", " ")
