"""The linking context through the real bus and SQL storage, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.bootstrap import Core
from domain.clock import FixedClock
from domain.linking import commands as lc
from domain.linking.model import looks_like_deeplink_code
from storage import orm
from storage.chat_views import SqlChatDirectory
from tests.catalog import order_command, small_shop

CHAT = 5001


async def notifications(core: Core, kind: str) -> list[Any]:
    t = orm.notifications
    async with core.db.read_sessions() as s:
        return list(await s.execute(select(t).where(t.c.kind == kind).order_by(t.c.id)))


async def shop_with_customer(core: Core) -> None:
    await small_shop(core.bus)
    await core.bus.handle(order_command())


async def test_email_code_links_the_chat(core: Core) -> None:
    await shop_with_customer(core)
    await core.bus.handle(lc.RequestEmailCode(CHAT, "Ada@Example.com"))
    [note] = await notifications(core, "link_code")
    code = note.payload["code"]
    assert (note.channel, note.recipient, len(code)) == ("email", "ada@example.com", 6)

    result = await core.bus.handle(lc.RedeemCode(CHAT, code, lc.EMAIL))

    assert result.outcome == lc.LINKED
    profile = await SqlChatDirectory(core.db).chat(CHAT)
    assert profile is not None and profile.email == "ada@example.com"
    assert profile.locale == "it"  # the customer's profile


async def test_code_is_single_use(core: Core) -> None:
    await shop_with_customer(core)
    await core.bus.handle(lc.RequestEmailCode(CHAT, "ada@example.com"))
    code = (await notifications(core, "link_code"))[0].payload["code"]
    await core.bus.handle(lc.RedeemCode(CHAT, code, lc.EMAIL))

    again = await core.bus.handle(lc.RedeemCode(CHAT, code, lc.EMAIL))

    assert again.outcome == lc.INVALID


async def test_five_wrong_codes_burn_the_code(core: Core) -> None:
    await shop_with_customer(core)
    await core.bus.handle(lc.RequestEmailCode(CHAT, "ada@example.com"))
    code = (await notifications(core, "link_code"))[0].payload["code"]
    wrong = "000000" if code != "000000" else "111111"
    left = [(await core.bus.handle(lc.RedeemCode(CHAT, wrong, lc.EMAIL))).attempts_left
            for _ in range(5)]

    late = await core.bus.handle(lc.RedeemCode(CHAT, code, lc.EMAIL))

    assert left == [4, 3, 2, 1, 0]
    assert late.outcome == lc.INVALID
    assert await SqlChatDirectory(core.db).chat(CHAT) is None


async def test_unknown_email_answers_alike_and_mails_nothing(core: Core) -> None:
    await shop_with_customer(core)
    known = await core.bus.handle(lc.RequestEmailCode(CHAT, "ada@example.com"))
    unknown = await core.bus.handle(lc.RequestEmailCode(CHAT + 1, "nobody@example.com"))
    wrong = await core.bus.handle(lc.RedeemCode(CHAT + 1, "123456", lc.EMAIL))

    assert known == unknown
    assert (wrong.outcome, wrong.attempts_left) == (lc.INVALID, 4)
    assert len(await notifications(core, "link_code")) == 1


async def test_email_code_expires(core: Core, clock: FixedClock) -> None:
    await shop_with_customer(core)
    await core.bus.handle(lc.RequestEmailCode(CHAT, "ada@example.com"))
    code = (await notifications(core, "link_code"))[0].payload["code"]
    clock.advance(minutes=16)

    result = await core.bus.handle(lc.RedeemCode(CHAT, code, lc.EMAIL))

    assert result.outcome == lc.EXPIRED


async def test_code_requests_per_chat_are_capped(core: Core) -> None:
    await shop_with_customer(core)
    for _ in range(7):
        await core.bus.handle(lc.RequestEmailCode(CHAT, "ada@example.com"))

    assert len(await notifications(core, "link_code")) == 5


async def test_deep_link_code_links_once_and_is_stored_hashed(core: Core) -> None:
    await shop_with_customer(core)
    code = await core.bus.handle(lc.IssueDeepLink("ada@example.com"))
    assert code is not None and looks_like_deeplink_code(code) and len(code) <= 64
    async with core.db.read_sessions() as s:
        stored = list(await s.scalars(select(orm.link_codes.c.code_hash)))
    assert code not in stored and "ORD" not in code

    first = await core.bus.handle(lc.RedeemCode(CHAT, code, lc.DEEPLINK, language="en"))
    second = await core.bus.handle(lc.RedeemCode(CHAT + 1, code, lc.DEEPLINK))

    assert (first.outcome, second.outcome) == (lc.LINKED, lc.INVALID)
    assert await core.bus.handle(lc.IssueDeepLink("ada@example.com")) is None  # linked now
    assert await core.bus.handle(lc.IssueDeepLink("nobody@example.com")) is None


async def test_deep_link_expires(core: Core, clock: FixedClock) -> None:
    await shop_with_customer(core)
    code = await core.bus.handle(lc.IssueDeepLink("ada@example.com"))
    clock.advance(days=8)

    result = await core.bus.handle(lc.RedeemCode(CHAT, code, lc.DEEPLINK))

    assert result.outcome == lc.EXPIRED


async def test_locale_reachability_and_update_claims(core: Core) -> None:
    await shop_with_customer(core)
    code = await core.bus.handle(lc.IssueDeepLink("ada@example.com"))
    await core.bus.handle(lc.RedeemCode(CHAT, code, lc.DEEPLINK))
    chats = SqlChatDirectory(core.db)

    assert await core.bus.handle(lc.SetChatLocale(CHAT, "en"))
    assert not await core.bus.handle(lc.SetChatLocale(CHAT + 1, "en"))
    assert await core.bus.handle(lc.MarkChatUnreachable(CHAT))
    profile = await chats.chat(CHAT)
    assert profile is not None and (profile.locale, profile.unreachable) == ("en", True)
    assert await core.bus.handle(lc.ClaimUpdates("telegram", ("77", "78"))) == {"77", "78"}
    assert await core.bus.handle(lc.ClaimUpdates("telegram", ("78", "79", "79"))) == {"79"}
    assert await core.bus.handle(lc.ClaimUpdates("slack", ("77",))) == {"77"}


async def test_no_deep_links_while_telegram_is_off(core: Core) -> None:
    from bot.telegram import telegram_link_provider

    await shop_with_customer(core)

    assert await telegram_link_provider(core, "shop_bot")("ada@example.com") is None


async def test_a_burst_of_update_claims_larger_than_one_statement(core: Core) -> None:
    """The ids go as parameters of one statement, sent in pages: every new id comes back."""
    await core.bus.handle(lc.ClaimUpdates("telegram", tuple(str(i) for i in range(0, 3000, 2))))

    new = await core.bus.handle(lc.ClaimUpdates("telegram", tuple(map(str, range(3000)))))

    assert new == {str(i) for i in range(1, 3000, 2)}
