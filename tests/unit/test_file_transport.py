"""The `.eml` transport: one writer thread takes every queued mail per round."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from channels.email.mime import OutgoingMail
from channels.email.transport import FileTransport
from domain.notifications import DeliveryFailed


def mail(i: int) -> OutgoingMail:
    return OutgoingMail("shop@example.com", (f"c{i}@example.com",), f"<{i}@example.com>",
                        f"Subject: {i}\r\n\r\nbody {i}\r\n".encode())


async def test_mails_sent_together_are_each_written_once(tmp_path: Path) -> None:
    transport = FileTransport(tmp_path / "out")
    await asyncio.gather(*(transport.deliver(mail(i)) for i in range(200)))
    await transport.deliver(mail(200))  # after the thread found its queue empty
    files = sorted((tmp_path / "out").glob("*.eml"))
    assert len(files) == 201
    bodies = {f.read_bytes().split(b"body ")[1].strip() for f in files}
    assert bodies == {str(i).encode() for i in range(201)}
    assert not list((tmp_path / "out").glob("*.part"))


async def test_a_folder_that_cannot_be_written_fails_each_mail(tmp_path: Path) -> None:
    blocked = tmp_path / "out"
    blocked.write_text("a file where the folder should be")
    transport = FileTransport(blocked)
    results = await asyncio.gather(*(transport.deliver(mail(i)) for i in range(3)),
                                   return_exceptions=True)
    assert all(isinstance(r, DeliveryFailed) for r in results)
    with pytest.raises(DeliveryFailed, match="cannot write"):
        await transport.deliver(mail(9))


async def test_a_folder_removed_meanwhile_is_made_again(tmp_path: Path) -> None:
    transport = FileTransport(tmp_path / "out")
    await transport.deliver(mail(1))
    for f in (tmp_path / "out").iterdir():
        f.unlink()
    (tmp_path / "out").rmdir()
    await transport.deliver(mail(2))
    assert len(list((tmp_path / "out").glob("*.eml"))) == 1
