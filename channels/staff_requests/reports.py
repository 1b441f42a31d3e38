"""Staff requests about customers and sales: one customer, the best customers and products,
and the sales report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from channels.staff_requests.base import Query

ReportPeriod = Literal["today", "week", "month"]
CustomerRanking = Literal["revenue", "profit"]
ProductRanking = Literal["revenue", "profit", "units"]

REPORT_PERIODS: tuple[ReportPeriod, ...] = get_args(ReportPeriod)
CUSTOMER_RANKINGS: tuple[CustomerRanking, ...] = get_args(CustomerRanking)
PRODUCT_RANKINGS: tuple[ProductRanking, ...] = get_args(ProductRanking)


@dataclass(frozen=True, slots=True)
class ShowCustomer(Query):
    command = "customer"
    email: str


@dataclass(frozen=True, slots=True)
class TopCustomers(Query):
    """Customers, most valuable first (lifetime, base currency, net of refunds)."""

    command = "top"
    n: int = 10
    by: CustomerRanking = "revenue"


@dataclass(frozen=True, slots=True)
class TopProducts(Query):
    """Products, best first over the last 30 days."""

    command = "top"
    n: int = 10
    by: ProductRanking = "revenue"


@dataclass(frozen=True, slots=True)
class Report(Query):
    command = "report"
    period: ReportPeriod = "today"
