"""The SQL unit of work: one transaction; rolls back unless committed."""

from __future__ import annotations

from functools import cached_property
from types import TracebackType

from sqlalchemy.exc import DBAPIError, IntegrityError

from domain.errors import Retry
from storage import linking as lk
from storage import repositories as r
from storage import reservations
from storage.attachments import FileStore, SqlAttachments
from storage.automation import SqlJobScans, SqlPurchaseOrders
from storage.engine import Database
from storage.fulfilment import SqlFulfilment
from storage.fx import SqlFxRates
from storage.money import SqlJournal, SqlPayments
from storage.reference import SqlReferenceData
from storage.sales import SqlSales
from storage.staff import SqlStaff
from storage.stock_adjustments import SqlStockAdjustments

# PostgreSQL: serialization failure and deadlock are worth one more try.
_RETRYABLE_SQLSTATES = ("40001", "40P01")


class SqlUnitOfWork:
    def __init__(self, db: Database, *, base_currency: str = "EUR",
                 files: FileStore | None = None) -> None:
        """`base_currency`: `OMSBOT_BASE_CURRENCY`, the currency `fx_rates` converts into;
        `files`: where return attachments' bytes live (var/attachments by default)."""
        self.db = db
        self.base_currency = base_currency
        self.files = files or FileStore()
        self._committed = self._committing = False
        self._queued = False  # holds a place in the SQLite write queue (group commit)

    async def __aenter__(self) -> SqlUnitOfWork:
        self._committed = self._committing = False
        if self.db.writes is None:
            self.session = self.db.sessions()
        else:
            conn, after_others = await self.db.writes.join()
            self._queued = True
            # After earlier members of the group: in a SAVEPOINT, so a failure here rolls
            # back only this work. First of a group: in the transaction itself.
            self.session = self.db.sessions(
                bind=conn,
                join_transaction_mode="create_savepoint" if after_others else "rollback_only")
        for name in _REPOSITORIES:  # made again, on first use, for this session
            self.__dict__.pop(name, None)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if not self._committed:
                await self.session.rollback()
                await self.session.close()
        finally:
            await self._leave_queue(committed=False)
        if isinstance(exc, DBAPIError) and (_is_retryable(exc) or (
                exc.connection_invalidated and not self._committing)):
            # A lost connection before COMMIT: nothing was stored, run it again. At
            # COMMIT the outcome is unknown: the error goes to the caller.
            raise Retry(str(exc.orig)) from exc

    async def commit(self) -> None:
        """Commit; with group commit (SQLite), returns once the group's COMMIT is done
        and raises Retry when it failed."""
        await self.session.flush()
        await reservations.make_pending(self.session)  # last: their rows stay locked to COMMIT
        self._committing = True
        try:
            await self.session.commit()
        except IntegrityError as exc:
            raise Retry("a concurrent insert won") from exc
        self._committed = True
        await self.session.close()  # before the connection passes to the next member
        await self._leave_queue(committed=True)

    async def _leave_queue(self, *, committed: bool) -> None:
        if self._queued and self.db.writes is not None:
            self._queued = False
            await self.db.writes.leave(committed=committed)

    async def rollback(self) -> None:
        await self.session.rollback()

    async def flush(self) -> None:
        await self.session.flush()


    # Repositories are made on first use: a command touches a few of the twenty-three.
    @cached_property
    def products(self) -> r.SqlProducts:
        return r.SqlProducts(self.session)

    @cached_property
    def warehouses(self) -> r.SqlWarehouses:
        return r.SqlWarehouses(self.session)

    @cached_property
    def shipping_methods(self) -> r.SqlShippingMethods:
        return r.SqlShippingMethods(self.session)

    @cached_property
    def reference(self) -> SqlReferenceData:
        return SqlReferenceData(self.session, self.db.reference)

    @cached_property
    def stock(self) -> r.SqlStock:
        return r.SqlStock(self.session)

    @cached_property
    def stock_adjustments(self) -> SqlStockAdjustments:
        return SqlStockAdjustments(self.session)

    @cached_property
    def orders(self) -> r.SqlOrders:
        return r.SqlOrders(self.session)

    @cached_property
    def customers(self) -> r.SqlCustomers:
        return r.SqlCustomers(self.session)

    @cached_property
    def returns(self) -> r.SqlReturns:
        return r.SqlReturns(self.session)

    @cached_property
    def attachments(self) -> SqlAttachments:
        return SqlAttachments(self.session, self.files)

    @cached_property
    def outbox(self) -> r.SqlOutbox:
        return r.SqlOutbox(self.session)

    @cached_property
    def audit(self) -> r.SqlAudit:
        return r.SqlAudit(self.session)

    @cached_property
    def staff(self) -> SqlStaff:
        return SqlStaff(self.session)

    @cached_property
    def purchase_orders(self) -> SqlPurchaseOrders:
        return SqlPurchaseOrders(self.session)

    @cached_property
    def scans(self) -> SqlJobScans:
        return SqlJobScans(self.session)

    @cached_property
    def link_codes(self) -> lk.SqlLinkCodes:
        return lk.SqlLinkCodes(self.session)

    @cached_property
    def chat_links(self) -> lk.SqlChatLinks:
        return lk.SqlChatLinks(self.session)

    @cached_property
    def processed_updates(self) -> lk.SqlProcessedUpdates:
        return lk.SqlProcessedUpdates(self.session)

    @cached_property
    def payments(self) -> SqlPayments:
        return SqlPayments(self.session)

    @cached_property
    def journal(self) -> SqlJournal:
        return SqlJournal(self.session)

    @cached_property
    def fulfilment(self) -> SqlFulfilment:
        return SqlFulfilment(self.session)

    @cached_property
    def fx_rates(self) -> SqlFxRates:
        return SqlFxRates(self.session, self.base_currency)

    @cached_property
    def sales(self) -> SqlSales:
        return SqlSales(self.session, self.base_currency)


_REPOSITORIES = tuple(name for name, value in vars(SqlUnitOfWork).items()
                      if isinstance(value, cached_property))


def _is_retryable(exc: DBAPIError) -> bool:
    code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    return code in _RETRYABLE_SQLSTATES
