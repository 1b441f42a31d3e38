"""The staff commands' help: one row per command (its usage line and what it does, by
section), and the usage and help lines built from it.

Standard library and the domain's `N_` markers only (the catalogues translate the usage
lines, summaries and sections).
"""

from __future__ import annotations

import difflib
from collections.abc import Collection
from dataclasses import dataclass

from domain.texts import N_, Text, english

DEFAULT_PREFIX = "/oms "
TYPO_CUTOFF = 0.8  # difflib similarity of a mistyped command name ("recieve", "cancle")
TYPO_SHORTEST = 4  # shorter names (po, fx, top, new) are only taken as written


@dataclass(frozen=True, slots=True)
class CommandHelp:
    name: str
    usage: str  # without the prefix: "ship N [CARRIER TRACKING] [eta YYYY-MM-DD]"
    summary: str
    section: str


HELP: tuple[CommandHelp, ...] = tuple(CommandHelp(*row) for row in (
    ("order", N_("order N"), N_("Show an order, its lines and shipments."), N_("Orders")),
    ("orders", N_("orders [STATUS]"),
     N_("List recent orders, optionally of one status."), N_("Orders")),
    ("new", N_("new EMAIL SKU:QTY [SKU:QTY…] [phone|store]"),
     N_("Take an order for a customer; a form asks for name and address."), N_("Orders")),
    ("ship", N_("ship N [CARRIER TRACKING] [eta YYYY-MM-DD]"),
     N_("Mark an order shipped; without a carrier, buy the chosen rate and label."), N_("Orders")),
    ("rates", N_("rates N [CARRIER SERVICE]"),
     N_("Carrier rates for each parcel, cheapest first; or choose one."), N_("Orders")),
    ("label", N_("label N"), N_("The shipping label PDF of a shipped order."), N_("Orders")),
    ("slip", N_("slip N"), N_("The packing slip PDF of an order."), N_("Orders")),
    ("pack", N_("pack N"), N_("Start packing an order: then scan each item."), N_("Orders")),
    ("scan", N_("scan CODE"),
     N_("Check a scanned item into the parcel being packed."), N_("Orders")),
    ("deliver", N_("deliver N"), N_("Mark an order delivered."), N_("Orders")),
    ("cancel", N_("cancel N [SKU:QTY…] [REASON…]"),
     N_("Cancel what has not shipped (or only those units) and release its stock."), N_("Orders")),
    ("hold", N_("hold N"), N_("Put an order on hold."), N_("Orders")),
    ("release", N_("release N"), N_("Release an order from hold."), N_("Orders")),
    ("flag", N_("flag N vip|gift|replacement"), N_("Flag an order."), N_("Orders")),
    ("stock", N_("stock SKU"), N_("Show stock of a product in each warehouse."), N_("Stock")),
    ("receive", N_("receive SKU QTY [WAREHOUSE]"),
     N_("Add received stock to a warehouse."), N_("Stock")),
    ("adjust", N_("adjust SKU WAREHOUSE +N|-N|=N REASON…"),
     N_("Correct a count (damaged, lost, found, a stock take); never below what is reserved."),
     N_("Stock")),
    ("lowstock", N_("lowstock"),
     N_("List products at or below their reorder point."), N_("Stock")),
    ("picklist", N_("picklist single|batch|zone|wave [WAREHOUSE [BATCH SIZE]]"),
     N_("Build a pick list for orders waiting to ship."), N_("Stock")),
    ("po", N_("po [approve ID]"), N_("List draft purchase orders, or approve one."), N_("Stock")),
    ("returns", N_("returns"), N_("List open returns."), N_("Returns")),
    ("return", N_("return approve|reject|receive|refund RMA [WAREHOUSE|AMOUNT]"),
     N_("Act on a return (receive: restock at WAREHOUSE instead of where it shipped from; "
        "refund: pay AMOUNT instead of the returned goods' value)."), N_("Returns")),
    ("pay", N_("pay N AMOUNT [METHOD]"), N_("Record money received for an order."), N_("Orders")),
    ("customer", N_("customer EMAIL"),
     N_("Show a customer, their orders and value."), N_("Customers")),
    ("top", N_("top [N] [revenue|profit]  ·  top products [N] [revenue|profit|units]"),
     N_("Most valuable customers (lifetime), or best-selling products (30 days)."), N_("Reports")),
    ("report", N_("report [today|week|month]"), N_("Sales report for a period."), N_("Reports")),
    ("fx", N_("fx [CURRENCY RATE]"),
     N_("Show exchange rates, or set 1 CURRENCY = RATE base currency from today."), N_("Reports")),
    ("staff", N_("staff @user viewer|operator|admin"),
     N_("Set a staff member's role."), N_("Staff")),
    ("help", N_("help [COMMAND]"), N_("List commands, or explain one."), N_("Help")),
))
COMMAND_NAMES: tuple[str, ...] = tuple(entry.name for entry in HELP)
# Channels pass the commands they serve; every command of CONTRACT §5 is served now.
DEFAULT_ENABLED: frozenset[str] = frozenset(COMMAND_NAMES)
_HELP_BY_NAME = {entry.name: entry for entry in HELP}


def command_help(name: str) -> CommandHelp:
    """The help entry of a command; `KeyError` for a name that is not a command."""
    return _HELP_BY_NAME[name]


def usage(command_name: str, prefix: str = DEFAULT_PREFIX) -> str:
    """`usage("ship")` → "/oms ship N [CARRIER TRACKING] [eta YYYY-MM-DD]"."""
    return english(usage_text(command_name, prefix))


def usage_text(command_name: str, prefix: str = DEFAULT_PREFIX) -> Text:
    """The usage line to say in the staff's language (its placeholders translated)."""
    return Text.of("%(prefix)s%(usage)s", prefix=prefix,
                   usage=Text(command_help(command_name).usage))


def help_lines(enabled: Collection[str] | None = None, prefix: str = DEFAULT_PREFIX) -> list[str]:
    """One heading line per section, then "  <usage> — <summary>" per enabled command."""
    names = enabled_names(enabled)
    lines: list[str] = []
    section = ""
    for entry in HELP:
        if entry.name not in names:
            continue
        if entry.section != section:
            section = entry.section
            lines.append(section)
        lines.append(f"  {prefix}{entry.usage} — {entry.summary}")
    return lines


def enabled_names(enabled: Collection[str] | None) -> frozenset[str]:
    """The commands served: `enabled` (None: all) that exist, and `help` always."""
    if enabled is None:
        return frozenset(COMMAND_NAMES)
    return frozenset(enabled) & frozenset(COMMAND_NAMES) | {"help"}


def close_command(word: str, names: Collection[str] | None = None) -> str | None:
    """The command `word` names (of `names`, default all): as written in any case, or with
    one slip ("recieve", "cancle", "stok") when it and the command have four letters or
    more; None for any other word. difflib's ratio is the standard library's measure."""
    word = word.lower()
    known = COMMAND_NAMES if names is None else tuple(names)
    if word in known:
        return word
    if len(word) < TYPO_SHORTEST:
        return None
    long_enough = sorted(name for name in known if len(name) >= TYPO_SHORTEST)
    found = difflib.get_close_matches(word, long_enough, n=1, cutoff=TYPO_CUTOFF)
    return found[0] if found else None
