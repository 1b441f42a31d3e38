"""The SQL unit of work: one transaction; rolls back unless committed."""

from __future__ import annotations

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
        s = self.session
        self.products = r.SqlProducts(s)
        self.warehouses = r.SqlWarehouses(s)
        self.shipping_methods = r.SqlShippingMethods(s)
        self.reference = SqlReferenceData(s, self.db.reference)
        self.stock = r.SqlStock(s)
        self.stock_adjustments = SqlStockAdjustments(s)
        self.orders = r.SqlOrders(s)
        self.customers = r.SqlCustomers(s)
        self.returns = r.SqlReturns(s)
        self.attachments = SqlAttachments(s, self.files)
        self.outbox = r.SqlOutbox(s)
        self.audit = r.SqlAudit(s)
        self.staff = SqlStaff(s)
        self.purchase_orders = SqlPurchaseOrders(s)
        self.scans = SqlJobScans(s)
        self.link_codes = lk.SqlLinkCodes(s)
        self.chat_links = lk.SqlChatLinks(s)
        self.processed_updates = lk.SqlProcessedUpdates(s)
        self.payments = SqlPayments(s)
        self.journal = SqlJournal(s)
        self.fulfilment = SqlFulfilment(s)
        self.fx_rates = SqlFxRates(s, self.base_currency)
        self.sales = SqlSales(s, self.base_currency)
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


def _is_retryable(exc: DBAPIError) -> bool:
    code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    return code in _RETRYABLE_SQLSTATES
