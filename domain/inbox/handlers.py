"""Handling customer mail: checked against the order's owner, deduplicated by Message-ID."""

from __future__ import annotations

from domain.customers.model import Customer, normalise_email
from domain.errors import ValidationError
from domain.events import CustomerMessageReceived
from domain.inbox import commands as c
from domain.inbox.events import InboundMailRefused
from domain.messagebus import Context
from domain.orders.commands import RecordReview
from domain.orders.handlers import record_review
from domain.ports import UnitOfWork
from domain.returns.attachments import keepable
from domain.returns.commands import RequestReturn
from domain.returns.handlers import request_return

SOURCE = "email"
MAX_ID = 300


async def receive_customer_mail(cmd: c.ReceiveCustomerMail, uow: UnitOfWork, ctx: Context
                                ) -> c.MailOutcome:
    """Refuse, dedupe, then act. A refused message changes nothing (CONTRACT §7), so its
    Message-ID is not remembered: once the configuration or the sender is put right, the
    same message delivered again is read. Only a message that was acted on is a duplicate
    next time."""
    problem = cmd.problem or await _sender_problem(cmd, uow)
    if problem is not None:
        await _refuse(cmd, problem, uow, ctx)
        return c.MailOutcome("refused", problem)
    if cmd.message_id and not await uow.processed_updates.remember(
            SOURCE, cmd.message_id[:MAX_ID], ctx.clock.now()):
        return c.MailOutcome("duplicate", cmd.message_id)
    assert cmd.order_id is not None
    if cmd.intent == "return":
        result = await request_return(RequestReturn(
            cmd.order_id, reason=cmd.text or cmd.subject, channel=SOURCE,
            requested_by_email=cmd.sender), uow, ctx)
        for kept in keepable(result.return_id, cmd.files, ctx.clock.now()):
            await uow.attachments.add(kept.attachment, kept.data)
        return c.MailOutcome("return", result.rma)
    if cmd.intent == "rating" and cmd.rating is not None:
        changed = await record_review(RecordReview(cmd.order_id, cmd.rating, cmd.text),
                                      uow, ctx)
        return c.MailOutcome("review", changed.number)
    ctx.emit(CustomerMessageReceived(cmd.sender, cmd.subject, cmd.text, cmd.order_id,
                                     sender_name=cmd.sender_name, note=cmd.note))
    ctx.audit("email.message", cmd.sender, order_id=cmd.order_id)
    return c.MailOutcome("message")


async def _sender_problem(cmd: c.ReceiveCustomerMail, uow: UnitOfWork) -> str | None:
    if cmd.order_id is None:
        return "bad_token"
    order = await uow.orders.get(cmd.order_id)
    if order is None:
        return "bad_token"
    customer = await uow.customers.get(order.customer_id)
    try:
        sender = normalise_email(cmd.sender)
    except ValidationError:
        return "malformed"
    return None if customer is not None and customer.email == sender else "foreign_sender"


async def _refuse(cmd: c.ReceiveCustomerMail, problem: str, uow: UnitOfWork,
                  ctx: Context) -> None:
    """Staff always hear of it; an automatic answer goes only to a customer we know (a
    forged sender must not make us mail a stranger: no backscatter)."""
    ctx.emit(CustomerMessageReceived(cmd.sender, cmd.subject, cmd.text, cmd.order_id,
                                     problem, cmd.sender_name, cmd.note))
    ctx.audit("email.refused", cmd.sender or "(no sender)", reason=problem,
              order_id=cmd.order_id)
    customer = await _known_customer(cmd.reply_to, uow)
    if cmd.reply_to and customer is not None:
        ctx.emit(InboundMailRefused(cmd.reply_to, problem, cmd.message_id,
                                    customer.locale or ctx.config.default_locale))


async def _known_customer(address: str | None, uow: UnitOfWork) -> Customer | None:
    if not address:
        return None
    try:
        return await uow.customers.by_email(normalise_email(address))
    except ValidationError:
        return None
