"""`PeopleDirectory` over Slack's `users.list`, kept briefly in a bounded cache.

A workspace's member list is read page by page (cursor pagination, 200 a page, as Slack
recommends) and indexed by handle, display name and real name in lower case. The index is
kept for `ttl` seconds (cachetools `TTLCache`), so a burst of commands costs one walk of the
list; a new colleague is found at the latest `ttl` seconds after joining. Bots, deleted
users and Slackbot are never staff candidates.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from typing import Any

from cachetools import TTLCache
from slack_sdk.web.async_client import AsyncWebClient

from channels.people import Person

PAGE_SIZE = 200
MAX_PAGES = 500  # 100,000 members: beyond that a name is not a sensible way to pick one
_INDEX = "index"


def _keys(member: dict[str, Any]) -> set[str]:
    profile = member.get("profile") or {}
    names = (member.get("name"), member.get("real_name"), profile.get("display_name"),
             profile.get("real_name"), profile.get("display_name_normalized"),
             profile.get("real_name_normalized"))
    return {str(n).strip().lower() for n in names if n and str(n).strip()}


def _candidate(member: dict[str, Any]) -> bool:
    return not (member.get("deleted") or member.get("is_bot")
                or member.get("id") == "USLACKBOT")


class SlackPeople:
    def __init__(self, client: AsyncWebClient, *, ttl: float = 60.0) -> None:
        self.client = client
        self._cache: TTLCache[str, dict[str, list[Person]]] = TTLCache(maxsize=1, ttl=ttl)
        self._lock = asyncio.Lock()

    async def find(self, name: str) -> list[Person]:
        """See `PeopleDirectory.find`; Slack API errors propagate (SlackApiError)."""
        wanted = name.strip().removeprefix("@").strip().lower()
        if not wanted:
            return []
        index = await self._index()
        return list(index.get(wanted, []))

    async def _index(self) -> dict[str, list[Person]]:
        async with self._lock:  # one walk of the list for a burst of look-ups
            index = self._cache.get(_INDEX)
            if index is None:
                index = await self._load()
                self._cache[_INDEX] = index
            return index

    async def _load(self) -> dict[str, list[Person]]:
        index: dict[str, list[Person]] = defaultdict(list)
        cursor: str | None = None
        for _ in range(MAX_PAGES):
            page = await self.client.users_list(limit=PAGE_SIZE, cursor=cursor)
            for member in page.get("members") or []:
                if _candidate(member):
                    person = Person(str(member["id"]), str(member.get("name") or member["id"]))
                    for key in _keys(member):
                        index[key].append(person)
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor:
                break
        return dict(index)
