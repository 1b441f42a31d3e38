"""Handlers of the linking context. Wrong guesses are recorded, not raised, so they commit."""

from __future__ import annotations

from datetime import timedelta

from domain.customers.model import TelegramLink, is_language, normalise_email
from domain.errors import ValidationError
from domain.events import LinkCodeIssued
from domain.linking import commands as c
from domain.linking.model import (
    CODES_PER_CHAT_PER_HOUR,
    DEEPLINK_TTL,
    EMAIL_CODE_TTL,
    CodeBook,
    LinkCode,
)
from domain.messagebus import Context, Handler
from domain.ports import UnitOfWork
from domain.texts import N_, Text


def linking_handlers(secret: bytes) -> dict[type, Handler]:
    """The handlers, bound to the shop's secret key (codes are stored as keyed hashes)."""
    book = CodeBook(secret)

    async def issue(cmd: c.IssueDeepLink, uow: UnitOfWork, ctx: Context) -> str | None:
        return await issue_deep_link(cmd, uow, ctx, book)

    async def request(cmd: c.RequestEmailCode, uow: UnitOfWork, ctx: Context
                      ) -> c.EmailCodeRequested:
        return await request_email_code(cmd, uow, ctx, book)

    async def redeem(cmd: c.RedeemCode, uow: UnitOfWork, ctx: Context) -> c.Redeemed:
        return await redeem_code(cmd, uow, ctx, book)

    return {
        c.IssueDeepLink: issue,
        c.RequestEmailCode: request,
        c.RedeemCode: redeem,
        c.SetChatLocale: set_chat_locale,
        c.MarkChatUnreachable: mark_chat_unreachable,
        c.MarkChatReachable: mark_chat_reachable,
        c.ClaimUpdates: claim_updates,
    }


async def issue_deep_link(cmd: c.IssueDeepLink, uow: UnitOfWork, ctx: Context,
                          book: CodeBook) -> str | None:
    customer = await uow.customers.by_email(normalise_email(cmd.customer_email))
    if customer is None or customer.id is None:
        return None
    if any(not link.unreachable for link in await uow.customers.telegram_links(customer.id)):
        return None
    code = book.new_deeplink_code()
    now = ctx.clock.now()
    await uow.link_codes.add(LinkCode(book.digest(c.DEEPLINK, code), c.DEEPLINK, customer.id,
                                      now, now + DEEPLINK_TTL))
    return code


async def request_email_code(cmd: c.RequestEmailCode, uow: UnitOfWork, ctx: Context,
                             book: CodeBook) -> c.EmailCodeRequested:
    email = normalise_email(cmd.email)
    now = ctx.clock.now()
    minutes = int(EMAIL_CODE_TTL.total_seconds() // 60)
    recent = await uow.link_codes.count_for_chat_since(cmd.chat_id, now - timedelta(hours=1))
    if recent >= CODES_PER_CHAT_PER_HOUR:
        return c.EmailCodeRequested(minutes)  # quietly: the answer must not differ
    for old in await uow.link_codes.open_for_chat(cmd.chat_id, c.EMAIL):
        old.use(cmd.chat_id, now)  # only the newest code counts
        await uow.link_codes.save(old)
    customer = await uow.customers.by_email(email)
    code = book.new_email_code()
    # An unknown address still gets a (decoy) row: attempts and expiry then answer alike.
    await uow.link_codes.add(LinkCode(
        book.digest(c.EMAIL, code, cmd.chat_id), c.EMAIL,
        customer.id if customer else None, now, now + EMAIL_CODE_TTL, chat_id=cmd.chat_id))
    if customer is not None and customer.id is not None:
        ctx.emit(LinkCodeIssued(customer.id, customer.email, code, minutes))
    return c.EmailCodeRequested(minutes)


async def redeem_code(cmd: c.RedeemCode, uow: UnitOfWork, ctx: Context,
                      book: CodeBook) -> c.Redeemed:
    now = ctx.clock.now()
    code = cmd.code.strip()
    if cmd.purpose == c.DEEPLINK:
        found = await uow.link_codes.by_hash(book.digest(c.DEEPLINK, code), c.DEEPLINK)
        if found is None or not found.is_open():
            return c.Redeemed(c.INVALID)
    else:
        candidates = await uow.link_codes.open_for_chat(cmd.chat_id, c.EMAIL)
        if not candidates:
            return c.Redeemed(c.INVALID)
        found = candidates[0]
    if found.is_expired(now):
        return c.Redeemed(c.EXPIRED)
    matches = cmd.purpose == c.DEEPLINK or found.code_hash == book.digest(
        c.EMAIL, code, cmd.chat_id)
    if not matches or found.customer_id is None:
        found.record_wrong_attempt(now)
        await uow.link_codes.save(found)
        return c.Redeemed(c.INVALID, found.attempts_left)
    found.use(cmd.chat_id, now)
    await uow.link_codes.save(found)
    return await _bind(cmd, found.customer_id, uow, ctx)


async def _bind(cmd: c.RedeemCode, customer_id: int, uow: UnitOfWork, ctx: Context
                ) -> c.Redeemed:
    customer = await uow.customers.get(customer_id)
    assert customer is not None
    language = cmd.language if is_language(cmd.language) and not customer.locale else None
    await uow.chat_links.link(TelegramLink(cmd.chat_id, customer_id, ctx.clock.now(), language))
    ctx.audit("telegram.link", f"chat:{cmd.chat_id}", customer=customer.email,
              via=cmd.purpose)
    return c.Redeemed(c.LINKED, customer_name=customer.name, customer_email=customer.email,
                      locale=language or customer.locale)


async def set_chat_locale(cmd: c.SetChatLocale, uow: UnitOfWork, ctx: Context) -> bool:
    """True when stored; False for a chat that is not linked (nothing to store it on)."""
    if not is_language(cmd.locale):
        raise ValidationError("locale", Text.of(N_("%(value)s is not a language code such as en"),
                                                value=repr(cmd.locale)))
    link = await uow.chat_links.get(cmd.chat_id)
    if link is None:
        return False
    link.locale = cmd.locale
    await uow.chat_links.save(link)
    return True


async def mark_chat_unreachable(cmd: c.MarkChatUnreachable, uow: UnitOfWork, ctx: Context
                                ) -> bool:
    return await _set_reachability(cmd.chat_id, True, uow, ctx)


async def mark_chat_reachable(cmd: c.MarkChatReachable, uow: UnitOfWork, ctx: Context) -> bool:
    return await _set_reachability(cmd.chat_id, False, uow, ctx)


async def _set_reachability(chat_id: int, unreachable: bool, uow: UnitOfWork, ctx: Context
                            ) -> bool:
    link = await uow.chat_links.get(chat_id)
    if link is None or link.unreachable == unreachable:
        return False
    link.unreachable = unreachable
    await uow.chat_links.save(link)
    ctx.audit("telegram.unreachable" if unreachable else "telegram.reachable",
              f"chat:{chat_id}")
    return True


async def claim_updates(cmd: c.ClaimUpdates, uow: UnitOfWork, ctx: Context
                        ) -> frozenset[str]:
    return await uow.processed_updates.claim(cmd.source, cmd.update_ids, ctx.clock.now())
