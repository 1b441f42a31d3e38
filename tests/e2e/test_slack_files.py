"""files_upload_v2 through the real slack_sdk against the Slack double, and our upload_file."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from channels.slack.files import SlackFile, upload_file
from tests.doubles import FakeSlackAPI

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlackAPI]:
    async with FakeSlackAPI() as api:
        yield api


async def client_for(slack: FakeSlackAPI) -> AsyncWebClient:
    return AsyncWebClient(token=slack.token, base_url=await slack.start())


async def test_upload_into_a_channel_keeps_bytes_title_and_share(slack: FakeSlackAPI) -> None:
    client = await client_for(slack)

    file_id = await upload_file(client, "C0001", SlackFile("report-2026-11.png", PNG, "Report"),
                                comment="November")

    [uploaded] = slack.files("C0001")
    assert uploaded.id == file_id
    assert uploaded.content == PNG
    assert (uploaded.title, uploaded.mimetype) == ("Report", "image/png")
    assert uploaded.initial_comment == "November"
    assert slack.files("C0002") == []


async def test_upload_into_a_thread(slack: FakeSlackAPI) -> None:
    client = await client_for(slack)
    message = await client.chat_postMessage(channel="C0001", text="RMA-000001")

    await upload_file(client, "C0001", SlackFile("photo.jpg", b"\xff\xd8\xff" + b"0" * 50),
                      thread_ts=message["ts"])

    assert slack.files("C0001")[0].thread_ts == message["ts"]


async def test_empty_file_is_refused_before_slack(slack: FakeSlackAPI) -> None:
    with pytest.raises(ValueError, match="empty"):
        await upload_file(await client_for(slack), "C0001", SlackFile("a.pdf", b""))
    assert slack.calls_to("files.getUploadURLExternal") == []


async def test_completing_an_unsent_or_unknown_file_is_refused(slack: FakeSlackAPI) -> None:
    client = await client_for(slack)
    issued = await client.files_getUploadURLExternal(filename="a.pdf", length=3)

    for file_id in (issued["file_id"], "F9999999"):
        with pytest.raises(SlackApiError) as caught:
            await client.files_completeUploadExternal(files=[{"id": file_id}],
                                                      channel_id="C0001")
        assert caught.value.response["error"] in {"file_upload_not_complete", "file_not_found"}


async def test_upload_with_the_wrong_length_is_refused(slack: FakeSlackAPI) -> None:
    client = await client_for(slack)
    issued = await client.files_getUploadURLExternal(filename="a.pdf", length=3)

    async with aiohttp.ClientSession() as http:
        response = await http.post(issued["upload_url"], data=b"four")

    assert response.status == 400
    assert slack.files() == []


async def test_thread_without_channel_is_invalid(slack: FakeSlackAPI) -> None:
    client = await client_for(slack)
    with pytest.raises(SlackApiError) as caught:
        await client.files_upload_v2(filename="a.txt", content=b"abc", thread_ts="1.2")
    assert caught.value.response["error"] == "invalid_arguments"
