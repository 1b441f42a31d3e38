"""`/oms staff @name role` whether Slack escapes mentions or not (CONTRACT §5): the real bolt
app on our server, signed requests, and users.list served page by page by the double."""

from __future__ import annotations

import asyncio

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from channels.slack.people import SlackPeople
from tests.doubles import FakeSlackAPI
from tests.e2e.slack_harness import ADMIN, Shop, shop, text_of

__all__ = ["shop"]


def workspace(slack: FakeSlackAPI, crowd: int = 250) -> None:
    """Ann among `crowd` colleagues (several users.list pages), two Marcos, a bot, a leaver."""
    for i in range(crowd):
        slack.add_user(f"U{i:05d}X", f"Person {i}", name=f"person{i}")
    slack.add_user("UANN01", "Ann Smith", name="ann", display_name="Annie")
    slack.add_user("UMARCO1", "Marco Rossi", name="marco.r", display_name="Marco")
    slack.add_user("UMARCO2", "Marco Bianchi", name="marco.b", display_name="Marco")
    slack.add_user("UBOTX", "Ann Bot", name="annbot", display_name="ann-bot", is_bot=True)
    slack.add_user("UGONE", "Gone Person", name="gone", deleted=True)


async def test_unescaped_mention_by_handle_display_or_real_name(shop: Shop) -> None:
    workspace(shop.slack)

    by_handle = await shop.ask("staff @ann operator", ADMIN)
    by_display = await shop.ask("staff @ANNIE viewer", ADMIN)
    by_real_name = await shop.ask("staff @ann smith admin", ADMIN)
    escaped = await shop.ask("staff <@UANN01|ann> operator", ADMIN)

    assert text_of(by_handle) == "<@UADMIN> made <@UANN01> operator."
    assert text_of(by_display) == "<@UADMIN> made <@UANN01> viewer (was operator)."
    assert text_of(by_real_name) == "<@UADMIN> made <@UANN01> admin (was viewer)."
    assert text_of(escaped) == "<@UADMIN> made <@UANN01> operator (was admin)."
    pages = shop.slack.calls_to("users.list")
    assert len(pages) >= 2  # 255 members, 200 a page
    assert all(int(p["limit"]) == 200 for p in pages)
    assert len(pages) == 2  # one walk of the list, then the cache answers


async def test_ambiguous_unknown_bots_and_leavers_are_said_so(shop: Shop) -> None:
    workspace(shop.slack, crowd=3)

    ambiguous = text_of(await shop.ask("staff @marco operator", ADMIN))
    unknown = text_of(await shop.ask("staff @nobody operator", ADMIN))
    bot = text_of(await shop.ask("staff @ann-bot operator", ADMIN))
    gone = text_of(await shop.ask("staff @gone operator", ADMIN))

    assert "`@marco` could be 2 people: <@UMARCO1>, <@UMARCO2>." in ambiguous
    assert "No Slack user is called `@nobody`" in unknown
    assert "No Slack user is called `@ann-bot`" in bot
    assert "No Slack user is called `@gone`" in gone
    audit = await shop.audit("staff.role")
    assert all(subject not in {"UMARCO1", "UMARCO2", "UBOTX", "UGONE"}
               for _, subject, _ in audit)


async def test_users_list_pagination_of_the_double_matches_slacks() -> None:
    async with FakeSlackAPI() as slack:
        workspace(slack, crowd=20)
        client = AsyncWebClient(token="xoxb-test", base_url=await slack.start())
        seen: list[str] = []
        cursor = None
        while True:
            page = await client.users_list(limit=7, cursor=cursor)
            seen += [m["id"] for m in page["members"]]
            cursor = page["response_metadata"]["next_cursor"]
            if not cursor:
                break
        assert sorted(seen) == sorted(slack.users) and len(seen) == len(set(seen))
        with pytest.raises(SlackApiError, match="invalid_cursor"):
            await client.users_list(cursor="bm9wZQ==")

        people = SlackPeople(client, ttl=0.01)
        assert [p.user_id for p in await people.find(" @Ann Smith ")] == ["UANN01"]
        slack.add_user("UANN02", "Ann Other", name="ann2", display_name="Ann Smith")
        await asyncio.sleep(0.05)  # the cache expired: the newcomer is seen
        assert {p.user_id for p in await people.find("ann smith")} == {"UANN01", "UANN02"}
