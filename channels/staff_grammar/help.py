"""The staff commands' help: one row per command (its usage line and what it does, by
section), and the usage and help lines built from it.

Standard library only.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection
from dataclasses import dataclass

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
    ("order", "order N", "Show an order, its lines and shipments.", "Orders"),
    ("orders", "orders [STATUS]", "List recent orders, optionally of one status.", "Orders"),
    ("new", "new EMAIL SKU:QTY [SKU:QTY…] [phone|store]",
     "Take an order for a customer; a form asks for name and address.", "Orders"),
    ("ship", "ship N [CARRIER TRACKING] [eta YYYY-MM-DD]",
     "Mark an order shipped; without a carrier, buy the chosen rate and label.", "Orders"),
    ("rates", "rates N [CARRIER SERVICE]",
     "Carrier rates for each parcel, cheapest first; or choose one.", "Orders"),
    ("label", "label N", "The shipping label PDF of a shipped order.", "Orders"),
    ("slip", "slip N", "The packing slip PDF of an order.", "Orders"),
    ("pack", "pack N", "Start packing an order: then scan each item.", "Orders"),
    ("scan", "scan CODE", "Check a scanned item into the parcel being packed.", "Orders"),
    ("deliver", "deliver N", "Mark an order delivered.", "Orders"),
    ("cancel", "cancel N [SKU:QTY…] [REASON…]",
     "Cancel what has not shipped (or only those units) and release its stock.", "Orders"),
    ("hold", "hold N", "Put an order on hold.", "Orders"),
    ("release", "release N", "Release an order from hold.", "Orders"),
    ("flag", "flag N vip|gift|replacement", "Flag an order.", "Orders"),
    ("stock", "stock SKU", "Show stock of a product in each warehouse.", "Stock"),
    ("receive", "receive SKU QTY [WAREHOUSE]", "Add received stock to a warehouse.", "Stock"),
    ("adjust", "adjust SKU WAREHOUSE +N|-N|=N REASON…",
     "Correct a count (damaged, lost, found, a stock take); never below what is reserved.",
     "Stock"),
    ("lowstock", "lowstock", "List products at or below their reorder point.", "Stock"),
    ("picklist", "picklist single|batch|zone|wave [WAREHOUSE [BATCH SIZE]]",
     "Build a pick list for orders waiting to ship.", "Stock"),
    ("po", "po [approve ID]", "List draft purchase orders, or approve one.", "Stock"),
    ("returns", "returns", "List open returns.", "Returns"),
    ("return", "return approve|reject|receive|refund RMA [WAREHOUSE|AMOUNT]",
     "Act on a return (receive: restock at WAREHOUSE instead of where it shipped from; "
     "refund: pay AMOUNT instead of the returned goods' value).", "Returns"),
    ("pay", "pay N AMOUNT [METHOD]", "Record money received for an order.", "Orders"),
    ("customer", "customer EMAIL", "Show a customer, their orders and value.", "Customers"),
    ("top", "top [N] [revenue|profit]  ·  top products [N] [revenue|profit|units]",
     "Most valuable customers (lifetime), or best-selling products (30 days).", "Reports"),
    ("report", "report [today|week|month]", "Sales report for a period.", "Reports"),
    ("fx", "fx [CURRENCY RATE]",
     "Show exchange rates, or set 1 CURRENCY = RATE base currency from today.", "Reports"),
    ("staff", "staff @user viewer|operator|admin", "Set a staff member's role.", "Staff"),
    ("help", "help [COMMAND]", "List commands, or explain one.", "Help"),
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
    return prefix + command_help(command_name).usage


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
