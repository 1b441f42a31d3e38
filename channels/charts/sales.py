"""The sales report as a PNG chart (matplotlib, Agg backend: no display needed).

matplotlib is imported only when a chart is drawn: it costs start-up time.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

WIDTH_IN, HEIGHT_IN, DPI = 10.0, 5.6, 100  # 1000 × 560 pixels
NET_COLOUR, MARGIN_COLOUR = "#2f6db5", "#e07b1f"
MAX_LABELLED_BARS = 14


def chart_filename(view: dict[str, Any]) -> str:
    """`sales-2026-11-18-2026-11-24.png`: the report's days (shop time zone)."""
    first, last = view["from"], view["to"]
    return f"sales-{first}.png" if first == last else f"sales-{first}-{last}.png"


def draw_sales_chart(view: dict[str, Any]) -> bytes:
    """PNG bytes of `view` (`sales_report_view`'s shape): net revenue and margin by day in
    the base currency (by channel when the report covers one day)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, layout="constrained")
    ax = fig.add_subplot()
    currency = view["currency"]
    if len(view["by_day"]) > 1:
        _by_day(ax, view["by_day"])
        ax.set_xlabel(f"Day the order was placed ({view['timezone']})")
    else:
        _by_channel(ax, view["by_channel"])
        ax.set_xlabel("Sales channel")
    ax.set_ylabel(f"Amount ({currency}, net of refunds)")
    ax.yaxis.set_major_formatter(_thousands())
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    fig.legend(loc="outside lower center", frameon=False, ncols=2)
    ax.margins(y=0.12)
    fig.suptitle(f"Sales — {view['title']}", fontsize=14, fontweight="bold")
    if not view["orders"]:
        ax.set_ylim(0, 100)
        ax.text(0.5, 0.5, "No orders in this period", transform=ax.transAxes, ha="center",
                va="center", fontsize=16, color="#888888")
    subtitle = _summary(view)
    if view["not_converted"]:
        subtitle += "\n" + _unconverted(view["not_converted"], currency)
    ax.set_title(subtitle, fontsize=10, color="#444444")
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI)
    return out.getvalue()


def _by_day(ax: Any, days: list[dict[str, Any]]) -> None:
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    xs = [date.fromisoformat(d["date"]) for d in days]
    net = [float(Decimal(d["net_revenue"])) for d in days]
    margin = [float(Decimal(d["margin"])) for d in days]
    bars = ax.bar(xs, net, width=0.8, color=NET_COLOUR, label="Net revenue")
    ax.plot(xs, margin, color=MARGIN_COLOUR, marker="o", linewidth=2, label="Margin")
    locator = AutoDateLocator(minticks=3, maxticks=12)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    if len(days) <= MAX_LABELLED_BARS:
        ax.bar_label(bars, labels=[_short(v) if v else "" for v in net], padding=2,
                     fontsize=8)
    ax.axhline(0, color="#888888", linewidth=0.8)


def _by_channel(ax: Any, channels: list[dict[str, Any]]) -> None:
    names = [c["channel"] for c in channels] or ["(no orders)"]
    net = [float(Decimal(c["net_revenue"])) for c in channels] or [0.0]
    margin = [float(Decimal(c["margin"])) for c in channels] or [0.0]
    xs = range(len(names))
    bars = ax.bar([x - 0.2 for x in xs], net, width=0.4, color=NET_COLOUR,
                  label="Net revenue")
    marg = ax.bar([x + 0.2 for x in xs], margin, width=0.4, color=MARGIN_COLOUR,
                  label="Margin")
    ax.set_xticks(list(xs), names)
    ax.set_xlim(-0.8, len(names) - 0.2)
    for group, values in ((bars, net), (marg, margin)):
        ax.bar_label(group, labels=[_short(v) if v else "" for v in values], padding=2,
                     fontsize=8)
    ax.axhline(0, color="#888888", linewidth=0.8)


def _summary(view: dict[str, Any]) -> str:
    cur = view["currency"]
    return (f"{view['orders']} orders · net revenue {_amount(view['net_revenue'])} {cur} · "
            f"margin {_amount(view['margin'])} {cur} · refunds {_amount(view['refunds'])} "
            f"{cur}")


def _unconverted(missing: list[dict[str, Any]], currency: str) -> str:
    parts = ", ".join(f"{m['orders']} in {m['currency']} ({_amount(m['amount'])} "
                      f"{m['currency']})" for m in missing)
    return f"Not in the chart, no rate to {currency} on their day: {parts}"


def _amount(text: str) -> str:
    value = Decimal(text)
    places = max(0, -int(value.as_tuple().exponent))
    return f"{value:,.{places}f}"


def _short(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"


def _thousands() -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _pos: f"{value:,.0f}" if abs(value) >= 10 or not value
                         else f"{value:,.2f}")
