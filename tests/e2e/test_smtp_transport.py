"""The SMTP transport against real servers: STARTTLS, implicit TLS, login, and the URL."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from pathlib import Path

import pytest

from channels.email.mime import OutgoingMail, alternative
from channels.email.transport import SmtpTarget, SmtpTransport, parse_smtp_url
from domain.notifications import DeliveryFailed
from tests.doubles.smtp_sink import SmtpSink


def test_the_url_names_host_port_tls_and_login() -> None:
    assert parse_smtp_url("smtp://mail.example.com") == SmtpTarget(
        "mail.example.com", 25, use_tls=False, start_tls=False, username=None, password=None)
    assert parse_smtp_url("smtp://u%40x:p%3Ass@mail.example.com:2525?starttls=1") == \
        SmtpTarget("mail.example.com", 2525, use_tls=False, start_tls=True,
                   username="u@x", password="p:ss")
    assert parse_smtp_url("smtp://mail.example.com?starttls=1").port == 587
    smtps = parse_smtp_url("smtps://u:p@mail.example.com")
    assert (smtps.port, smtps.use_tls, smtps.start_tls) == (465, True, False)
    for bad in ("http://mail.example.com", "smtps://h?starttls=1", "smtp://"):
        with pytest.raises(ValueError):
            parse_smtp_url(bad)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed: TLS tests skipped")
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                    str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                   check=True, capture_output=True)
    return key, cert


def server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(certificate[1]), str(certificate[0]))
    return context


def client_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(certificate[1]))


def mail(subject: str) -> OutgoingMail:
    data = alternative([("From", "orders@shop.example"), ("To", "ada@example.com"),
                        ("Subject", subject)], "hello\n", "<p>hello</p>\n")
    return OutgoingMail("orders@shop.example", ("ada@example.com",), "<m@shop.example>", data)


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
@pytest.mark.parametrize("implicit", [False, True], ids=["starttls", "smtps"])
async def test_tls_and_login(certificate: tuple[Path, Path], implicit: bool) -> None:
    sink = await SmtpSink(tls=server_context(certificate), implicit_tls=implicit,
                          login=("shop", "s3cret")).start()
    try:
        scheme = "smtps" if implicit else "smtp"
        query = "" if implicit else "?starttls=1"
        url = f"{scheme}://shop:s3cret@127.0.0.1:{sink.port}{query}"
        transport = SmtpTransport(parse_smtp_url(url), tls_context=client_context(certificate))
        await transport.deliver(mail("one"))
        await transport.deliver(mail("two"))
        await transport.aclose()
        assert [str(m["Subject"]) for m in sink.messages] == ["one", "two"]
        assert len(sink._connections) == 1

        wrong = f"{scheme}://shop:wrong@127.0.0.1:{sink.port}{query}"
        refused = SmtpTransport(parse_smtp_url(wrong), tls_context=client_context(certificate))
        with pytest.raises(DeliveryFailed) as failed:
            await refused.deliver(mail("three"))
        assert not failed.value.permanent  # the server's set-up, not the message: retried
        await refused.aclose()
    finally:
        await sink.stop()


async def test_a_server_requiring_starttls_refuses_plain_text(
        certificate: tuple[Path, Path]) -> None:
    sink = await SmtpSink(tls=server_context(certificate)).start()
    try:
        transport = SmtpTransport(parse_smtp_url(sink.url))
        with pytest.raises(DeliveryFailed) as failed:
            await transport.deliver(mail("plain"))
        assert "530" in failed.value.reason
        assert not failed.value.permanent  # a set-up problem: the mail waits for the fix
        assert sink.messages == []
        await transport.aclose()
    finally:
        await sink.stop()


async def test_a_connection_the_server_dropped_while_idle_is_replaced_silently() -> None:
    sink = await SmtpSink().start()
    try:
        transport = SmtpTransport(parse_smtp_url(sink.url))
        await transport.deliver(mail("before"))
        await sink.stop()  # the server hangs up on idle clients (and restarts)
        await sink.start()
        await transport.deliver(mail("after"))
        await transport.aclose()
        assert [str(m["Subject"]) for m in sink.messages] == ["before", "after"]
    finally:
        await sink.stop()


async def test_a_server_that_is_down_fails_the_rest_of_the_burst_fast() -> None:
    sink = await SmtpSink().start()
    await sink.stop()
    transport = SmtpTransport(parse_smtp_url(sink.url))
    with pytest.raises(DeliveryFailed, match="cannot connect"):
        await transport.deliver(mail("one"))
    with pytest.raises(DeliveryFailed, match="recently failed"):
        await transport.deliver(mail("two"))
    await transport.aclose()  # the burst ends: the next one tries again
    with pytest.raises(DeliveryFailed, match="cannot connect"):
        await transport.deliver(mail("three"))
