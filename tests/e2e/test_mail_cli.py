"""`omsbot outbox` and `omsbot email ingest`, run as the real command line."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

from bot.bootstrap import Core
from bot.delivery import OutboxWorker
from channels.email.reply_token import make_token, reply_address
from channels.rendering import translations_for
from channels.texts import say
from domain.clock import FixedClock
from domain.notifications import DeliveryFailed, Notification
from domain.orders import commands as oc
from storage.outbox import SqlOutboxStore
from storage.uow import SqlUnitOfWork
from tests.catalog import order_command, small_shop

ROOT = Path(__file__).resolve().parents[2]


async def omsbot(database_url: str, cwd: Path, *args: str, stdin: bytes = b"",
                 env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMSBOT_DATABASE_URL": database_url,
           "OMSBOT_SECRET_KEY": "test-secret", "OMSBOT_EMAIL_FROM": "Shop <orders@shop.example>",
           **(env_extra or {})}
    env.pop("OMSBOT_SLACK_BOT_TOKEN", None)
    code = "from bot.cli import main; main()"

    def run() -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([sys.executable, "-c", code, *args], input=stdin, cwd=cwd,
                              env=env, capture_output=True, timeout=60, check=False)

    done = await asyncio.to_thread(run)
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode(),
                                       done.stderr.decode())


class Refuses:
    channel = "email"

    async def send(self, notification: Notification) -> str:
        raise DeliveryFailed("550 mailbox unavailable", permanent=True)


async def test_outbox_lists_pending_and_dead_and_retries_dead(
        core: Core, clock: FixedClock, database_url: str, tmp_path: Path) -> None:
    await small_shop(core.bus)
    await core.bus.handle(order_command(flags=("vip",)))  # e-mail + a slack staff alert
    await OutboxWorker(core.db, {"email": Refuses()}, clock).drain()
    async with SqlUnitOfWork(core.db) as uow:
        now = clock.now()
        await uow.outbox.add(Notification("email", "invoice", "ada@example.com",
                                          {"order_id": 1}, now, now, order_id=1))
        await uow.commit()

    listed = await omsbot(database_url, tmp_path, "outbox")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    by_id = {int(line.split()[0]): line for line in lines[:-1]}
    assert "dead" in by_id[1] and "order_confirmation" in by_id[1]
    assert "550 mailbox unavailable" in by_id[1]
    assert "pending (channel not configured)" in by_id[2] and "vip_order" in by_id[2]
    assert "delivery_failed" in by_id[3]  # the staff alert about the dead one
    assert "pending" in by_id[4] and "invoice" in by_id[4]
    assert lines[-1] == "3 pending, 1 dead, 0 sent"

    again = await omsbot(database_url, tmp_path, "outbox", "retry", "1")
    assert (again.returncode, again.stdout.strip()) == (0, "requeued 1 dead notification(s)")
    assert await SqlOutboxStore(core.db, clock).status_of(1) == "pending"

    not_dead = await omsbot(database_url, tmp_path, "outbox", "retry", "4")
    assert not_dead.returncode == 1
    assert "notification 4 is pending, not dead" in not_dead.stderr
    usage = await omsbot(database_url, tmp_path, "outbox", "retry")
    assert usage.returncode == 2
    none_left = await omsbot(database_url, tmp_path, "outbox", "retry", "--all-dead")
    assert none_left.stdout.strip() == "requeued 0 dead notification(s)"


def rating_mail(order_id: int, text: str, token: str | None = None) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Ada <ada@example.com>"
    msg["To"] = reply_address(token or make_token(b"test-secret", order_id), "shop.example")
    msg["Subject"] = "Re: order"
    msg["Message-ID"] = f"<{text.encode().hex()}@mail.example.com>"
    msg.set_content(text)
    return bytes(msg)


async def delivered_order(core: Core) -> oc.PlaceOrderResult:
    """Ada's order ORD-000001 in a small shop, shipped and delivered (ready for a review)."""
    await small_shop(core.bus)
    placed: oc.PlaceOrderResult = await core.bus.handle(order_command())
    await core.bus.handle(oc.ShipOrder(placed.order_id, "BRT", "TRK-1"))
    await core.bus.handle(oc.DeliverOrder(placed.order_id))
    return placed


async def test_email_ingest_reads_one_message_from_a_file_or_stdin(
        core: Core, database_url: str, tmp_path: Path) -> None:
    placed = await delivered_order(core)
    mail = tmp_path / "reply.eml"
    mail.write_bytes(rating_mail(placed.order_id, "5 stelle, grazie!"))

    done = await omsbot(database_url, tmp_path, "email", "ingest", str(mail))
    assert (done.returncode, done.stdout.strip()) == (0, "review ORD-000001"), done.stderr
    order = await core.views.order(placed.order_id)
    assert order is not None and order["review"]["rating"] == 5
    repeat = await omsbot(database_url, tmp_path, "email", "ingest", str(mail))
    assert repeat.stdout.startswith("duplicate")

    forged = rating_mail(placed.order_id, "1", token=f"{placed.order_id}-abcdefghijklmnop")
    refused = await omsbot(database_url, tmp_path, "email", "ingest", "-", stdin=forged)
    assert (refused.returncode, refused.stdout.strip()) == (0, "refused bad_token")
    order = await core.views.order(placed.order_id)
    assert order is not None and order["review"]["rating"] == 5

    missing = await omsbot(database_url, tmp_path, "email", "ingest", "nowhere.eml")
    assert missing.returncode == 1
    assert "nowhere.eml: no such file" in missing.stderr


async def test_a_mail_refused_for_our_own_bad_setting_is_read_once_it_is_fixed(
        core: Core, database_url: str, tmp_path: Path) -> None:
    """The tester's F29: ingested with the wrong reply domain (OMSBOT_EMAIL_FROM) the reply
    is refused and changes nothing, so after the fix the same file is read, not dropped
    as a duplicate."""
    placed = await delivered_order(core)
    mail = tmp_path / "q_it.eml"
    mail.write_bytes(rating_mail(placed.order_id, "4/5 molto bene"))
    wrong = {"OMSBOT_EMAIL_FROM": "Shop <orders@wrong.example>"}

    refused = await omsbot(database_url, tmp_path, "email", "ingest", str(mail),
                           env_extra=wrong)
    assert (refused.returncode, refused.stdout.strip()) == (0, "refused bad_token")
    again = await omsbot(database_url, tmp_path, "email", "ingest", str(mail),
                         env_extra=wrong)
    assert again.stdout.strip() == "refused bad_token"  # still refused, never "duplicate"
    fixed = await omsbot(database_url, tmp_path, "email", "ingest", str(mail))
    assert (fixed.returncode, fixed.stdout.strip()) == (0, "review ORD-000001"), fixed.stderr
    order = await core.views.order(placed.order_id)
    assert order is not None and order["review"] == {"rating": 4, "comment": "4/5 molto bene"}
    repeat = await omsbot(database_url, tmp_path, "email", "ingest", str(mail))
    assert repeat.stdout.startswith("duplicate")


CORPUS = ROOT / "tests" / "corpora" / "mail"


async def test_email_ingest_reads_client_mail_and_takes_a_big_photo(
        core: Core, database_url: str, tmp_path: Path) -> None:
    await small_shop(core.bus)
    juergen = "juergen.mueller@example.de"
    placed = await core.bus.handle(order_command(email=juergen, locale="de"))
    await core.bus.handle(oc.ShipOrder(placed.order_id, "BRT", "TRK-1"))
    await core.bus.handle(oc.DeliverOrder(placed.order_id))
    to = reply_address(make_token(b"test-secret", placed.order_id), "shop.example").encode()
    [german] = CORPUS.glob("*-de-outlook-address-change.eml")
    raw = german.read_bytes().replace(b"reply+1-3jz9x0m2k4q7w8e5r6t1@shop.example", to)

    done = await omsbot(database_url, tmp_path, "email", "ingest", "-", stdin=raw)
    assert (done.returncode, done.stdout.strip()) == (0, "message"), done.stderr
    assert await core.views.returns() == []

    big = EmailMessage()
    big["From"] = "=?utf-8?Q?M=C3=BCller=2C_J=C3=BCrgen?= <juergen.mueller@example.de>"
    big["To"] = to.decode()
    big["Subject"] = "Foto vom Paket"
    big["Message-ID"] = "<big-photo@mail.example.de>"
    big.set_content("Hier das Foto vom Paket, es kam nass an.")
    big.add_attachment(b"\xff\xd8\xff\xe1" + os.urandom(1_100_000), maintype="image",
                       subtype="jpeg", filename="IMG_0001.JPG")
    path = tmp_path / "big.eml"
    path.write_bytes(bytes(big))
    taken = await omsbot(database_url, tmp_path, "email", "ingest", str(path))
    assert (taken.returncode, taken.stdout.strip()) == (0, "message"), taken.stderr

    small_limit = {"OMSBOT_INBOUND_MAX_BYTES": "500000"}
    path.write_bytes(bytes(big).replace(b"<big-photo@", b"<big-photo-2@"))
    refused = await omsbot(database_url, tmp_path, "email", "ingest", str(path),
                           env_extra=small_limit)
    assert (refused.returncode, refused.stdout.strip()) == (0, "refused too_large")
    staff = [n for n in await SqlOutboxStore(core.db, core.clock).listing(limit=100)
             if n.kind == "customer_message" and n.payload["problem"] == "too_large"]
    assert [(n.payload["sender_name"], n.payload["sender"]) for n in staff] == [
        ("Müller, Jürgen", juergen)]
    assert staff[0].payload["text"] == ""  # not read
    assert "above the limit of 500,000 bytes" in say(staff[0].payload["note"],
                                                     translations_for("en"))
