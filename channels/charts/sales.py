"""The sales report as a PNG chart (matplotlib, Agg backend: no display needed).

matplotlib is imported only when a chart is drawn: it costs start-up time.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal

from channels.texts import say
from domain.texts import N_, NN_, Text

WIDTH_IN, HEIGHT_IN, DPI = 10.0, 5.6, 100  # 1000 × 560 pixels
NET_COLOUR, MARGIN_COLOUR = "#2f6db5", "#e07b1f"
MAX_LABELLED_BARS = 14


def chart_filename(view: dict[str, Any]) -> str:
    """`sales-2026-11-18-2026-11-24.png`: the report's days (shop time zone)."""
    first, last = view["from"], view["to"]
    return f"sales-{first}.png" if first == last else f"sales-{first}-{last}.png"


def draw_sales_chart(view: dict[str, Any], title: str, locale: str = "en") -> bytes:
    """PNG bytes of `view` (`sales_report_view`'s shape): net revenue and margin by day in
    the base currency (by channel when the report covers one day), headed `title`, its
    words and numbers in `locale` (the staff's)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    words = _Words(locale)
    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, layout="constrained")
    ax = fig.add_subplot()
    currency = view["currency"]
    if len(view["by_day"]) > 1:
        _by_day(ax, view["by_day"], words)
        ax.set_xlabel(words.say(N_("Day the order was placed (%(timezone)s)"),
                                timezone=view["timezone"]))
    else:
        _by_channel(ax, view["by_channel"], words)
        ax.set_xlabel(words.say(N_("Sales channel")))
    ax.set_ylabel(words.say(N_("Amount (%(currency)s, net of refunds)"), currency=currency))
    ax.yaxis.set_major_formatter(_thousands(words))
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    fig.legend(loc="outside lower center", frameon=False, ncols=2)
    ax.margins(y=0.12)
    fig.suptitle(title, fontsize=14, fontweight="bold")
    if not view["orders"]:
        ax.set_ylim(0, 100)
        ax.text(0.5, 0.5, words.say(N_("No orders in this period")), transform=ax.transAxes,
                ha="center", va="center", fontsize=16, color="#888888")
    subtitle = _summary(view, words)
    if view["not_converted"]:
        subtitle += "\n" + _unconverted(view["not_converted"], currency, words)
    ax.set_title(subtitle, fontsize=10, color="#444444")
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI)
    return out.getvalue()


def _by_day(ax: Any, days: list[dict[str, Any]], words: _Words) -> None:
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    xs = [date.fromisoformat(d["date"]) for d in days]
    net = [float(Decimal(d["net_revenue"])) for d in days]
    margin = [float(Decimal(d["margin"])) for d in days]
    bars = ax.bar(xs, net, width=0.8, color=NET_COLOUR, label=words.say(N_("Net revenue")))
    ax.plot(xs, margin, color=MARGIN_COLOUR, marker="o", linewidth=2,
            label=words.say(N_("Margin")))
    locator = AutoDateLocator(minticks=3, maxticks=12)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    if len(days) <= MAX_LABELLED_BARS:
        ax.bar_label(bars, labels=[words.short(v) if v else "" for v in net], padding=2,
                     fontsize=8)
    ax.axhline(0, color="#888888", linewidth=0.8)


def _by_channel(ax: Any, channels: list[dict[str, Any]], words: _Words) -> None:
    names = [c["channel"] for c in channels] or [words.say(N_("(no orders)"))]
    net = [float(Decimal(c["net_revenue"])) for c in channels] or [0.0]
    margin = [float(Decimal(c["margin"])) for c in channels] or [0.0]
    xs = range(len(names))
    bars = ax.bar([x - 0.2 for x in xs], net, width=0.4, color=NET_COLOUR,
                  label=words.say(N_("Net revenue")))
    marg = ax.bar([x + 0.2 for x in xs], margin, width=0.4, color=MARGIN_COLOUR,
                  label=words.say(N_("Margin")))
    ax.set_xticks(list(xs), names)
    ax.set_xlim(-0.8, len(names) - 0.2)
    for group, values in ((bars, net), (marg, margin)):
        ax.bar_label(group, labels=[words.short(v) if v else "" for v in values], padding=2,
                     fontsize=8)
    ax.axhline(0, color="#888888", linewidth=0.8)


class _Words:
    """The chart's words (the catalogues, N_ marked) and numbers (Babel) in one locale."""

    def __init__(self, locale: str) -> None:
        from channels.rendering import resolve_locale, translations_for

        self.locale = resolve_locale(locale)
        self.translations = translations_for(self.locale)

    def say(self, msgid: str, **params: object) -> str:
        return say(Text.of(msgid, **params), self.translations)

    def amount(self, text: str) -> str:
        """A decimal string with the digits it has: "1234.50" → "1.234,50" in de."""
        value = Decimal(text)
        places = max(0, -int(value.as_tuple().exponent))
        return format_decimal(value, format=f"#,##0.{'0' * places}" if places else "#,##0",
                              locale=self.locale)

    def short(self, value: float) -> str:
        pattern = "#,##0" if abs(value) >= 100 else "#,##0.00"
        return format_decimal(value, format=pattern, locale=self.locale)


def _summary(view: dict[str, Any], words: _Words) -> str:
    cur = view["currency"]
    text = Text.counted(
        NN_("%(count)s order · net revenue %(net)s %(currency)s · margin %(margin)s "
            "%(currency)s · refunds %(refunds)s %(currency)s",
            "%(count)s orders · net revenue %(net)s %(currency)s · margin %(margin)s "
            "%(currency)s · refunds %(refunds)s %(currency)s"),
        int(view["orders"]), net=words.amount(view["net_revenue"]), currency=cur,
        margin=words.amount(view["margin"]), refunds=words.amount(view["refunds"]))
    return say(text, words.translations)


def _unconverted(missing: list[dict[str, Any]], currency: str, words: _Words) -> str:
    parts = ", ".join(words.say(N_("%(orders)s in %(currency)s (%(amount)s %(currency)s)"),
                                orders=m["orders"], currency=m["currency"],
                                amount=words.amount(m["amount"])) for m in missing)
    return words.say(N_("Not in the chart, no rate to %(currency)s on their day: %(parts)s"),
                     currency=currency, parts=parts)


def _thousands(words: _Words) -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _pos: format_decimal(
        value, format="#,##0" if abs(value) >= 10 or not value else "#,##0.00",
        locale=words.locale))
