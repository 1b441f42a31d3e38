"""Incoming mail: reply tokens, quoted text, what the customer asks for, robots, bodies."""

from __future__ import annotations

from email import message_from_bytes, message_from_string, policy
from email.message import EmailMessage, Message

import pytest
from hypothesis import given
from hypothesis import strategies as st

from channels.email.body import body_text
from channels.email.intent import Intent, is_auto_reply, read_intent
from channels.email.quotes import strip_quoted
from channels.email.reply_token import make_token, read_token, reply_address, token_from_address

SECRET = b"k" * 32

# --- reply tokens ------------------------------------------------------------------------------


@pytest.mark.parametrize("order_id", [1, 42, 123_456, 10**17])
def test_token_round_trip(order_id: int) -> None:
    token = make_token(SECRET, order_id)

    assert read_token(SECRET, token) == order_id
    assert token == token.lower()
    assert set(token) <= set("0123456789abcdefghijklmnopqrstuvwxyz-")
    assert "=" not in token
    assert len(token) <= 36  # short enough for a local part (64 octets) with "reply+"


def test_token_carries_at_least_80_bits_of_mac() -> None:
    mac = make_token(SECRET, 7).split("-")[1]
    assert len(mac) * 5 >= 80


def test_upper_cased_token_still_reads() -> None:
    token = make_token(SECRET, 99)
    assert read_token(SECRET, token.upper()) == 99


def test_forged_tokens_are_refused() -> None:
    token = make_token(SECRET, 42)
    order, mac = token.split("-")
    flipped = mac[:-1] + ("a" if mac[-1] != "a" else "b")

    assert read_token(SECRET, f"{order}-{flipped}") is None  # one character changed
    assert read_token(SECRET, f"43-{mac}") is None  # someone else's order, same mac
    assert read_token(SECRET, token[:-1]) is None  # truncated
    assert read_token(SECRET, f"{order}-") is None
    assert read_token(SECRET, order) is None
    assert read_token(b"another secret", token) is None
    assert read_token(SECRET, f"042-{mac}") is None  # non-canonical id
    assert read_token(SECRET, "") is None
    assert read_token(b"", token) is None


def test_tokens_for_different_orders_differ() -> None:
    assert make_token(SECRET, 1).split("-")[1] != make_token(SECRET, 2).split("-")[1]


@pytest.mark.parametrize("order_id", [0, -1, 10**18, True])
def test_make_token_refuses_bad_ids(order_id: int) -> None:
    with pytest.raises(ValueError, match="order id"):
        make_token(SECRET, order_id)


def test_reply_address_round_trip() -> None:
    token = make_token(SECRET, 123)
    address = reply_address(token, "shop.example")

    assert address == f"reply+{token}@shop.example"
    assert token_from_address(address) == token
    assert token_from_address(f'"Bottega" <{address.upper()}>') == token
    assert token_from_address(address, domain="SHOP.example") == token
    assert token_from_address(address, domain="evil.example") is None
    assert token_from_address("orders@shop.example") is None
    assert token_from_address("reply+@shop.example") is None
    assert token_from_address("") is None
    assert read_token(SECRET, token_from_address(address.upper()) or "") == 123


@given(st.text(max_size=300))
def test_read_token_never_raises(text: str) -> None:
    assert read_token(SECRET, text) is None  # nobody forges a MAC by chance


@given(st.text(max_size=300))
def test_token_from_address_never_raises(text: str) -> None:
    token_from_address(text)


@given(st.integers(min_value=1, max_value=10**18 - 1), st.binary(min_size=1, max_size=64))
def test_any_order_round_trips_under_any_secret(order_id: int, secret: bytes) -> None:
    assert read_token(secret, make_token(secret, order_id)) == order_id


# --- quoted text -------------------------------------------------------------------------------

GMAIL = """\
I'd like to send it back, the handle is cracked.

On Mon, Nov 24, 2026 at 10:02 AM Bottega Demo <reply+1-abcdefghijklmnop@shop.example>
wrote:

> Hi Ada,
>
> your order ORD-000123 has been delivered. Reply "return" to start a return.
"""
GMAIL_IT = """\
Vorrei fare il reso, il manico è crepato.

Il giorno lun 24 nov 2026 alle ore 10:02 Bottega Demo <
reply+1-abcdefghijklmnop@shop.example> ha scritto:

> Ciao Ada,
> il tuo ordine ORD-000123 è stato consegnato.
"""
OUTLOOK = """\
5 - lovely mug, thanks

________________________________
From: Bottega Demo <reply+1-abcdefghijklmnop@shop.example>
Sent: Monday, November 24, 2026 10:02 AM
To: Ada Lovelace <ada@example.com>
Subject: How was your order ORD-000123?

Hi Ada, how did we do? Reply "return" if something is wrong.
"""
OUTLOOK_ORIGINAL = """\
Where is my parcel?

-----Original Message-----
From: Bottega Demo [mailto:orders@shop.example]
Sent: Monday, November 24, 2026 10:02 AM
Subject: RE: Order ORD-000123 refund
"""
OUTLOOK_IT = """\
Dove si trova il mio pacco?

Da: Bottega Demo <orders@shop.example>
Inviato: lunedì 24 novembre 2026 10:02
A: Ada <ada@example.com>
Oggetto: Rimborso ordine ORD-000123
"""
APPLE = """\
4/5

Sent from my iPhone

> On 24 Nov 2026, at 10:02, Bottega Demo <orders@shop.example> wrote:
>
> Reply with "return" to start a return.
"""
APPLE_UNQUOTED = """\
★★★★☆ bello!

Inviato da iPhone

On 24 Nov 2026, at 10:02, Bottega Demo <orders@shop.example> wrote:

Reply with a rating. Or "reso".
"""
SIGNATURE = (  # the separator is "-- " with its trailing space
    "Thanks, all good.\n\n-- \nAda Lovelace\nReturns manager, Analytical Engines Ltd\n"
)
INTERLEAVED = """\
> Did the parcel arrive?
Yes, yesterday.
> Anything wrong?
No, everything is fine.
"""


@pytest.mark.parametrize(
    ("mail", "kept"),
    [
        (GMAIL, "I'd like to send it back, the handle is cracked."),
        (GMAIL_IT, "Vorrei fare il reso, il manico è crepato."),
        (OUTLOOK, "5 - lovely mug, thanks"),
        (OUTLOOK_ORIGINAL, "Where is my parcel?"),
        (OUTLOOK_IT, "Dove si trova il mio pacco?"),
        (APPLE, "4/5"),
        (APPLE_UNQUOTED, "★★★★☆ bello!"),
        (SIGNATURE, "Thanks, all good."),
        (INTERLEAVED, "Yes, yesterday.\nNo, everything is fine."),
        (
            "Il pacco è arrivato.\nIl giorno 24 nov 2026 Shop <o@s.example> ha scritto:\n> x",
            "Il pacco è arrivato.",
        ),
        (
            "On Monday the parcel arrived, my neighbour wrote: all fine",
            "On Monday the parcel arrived, my neighbour wrote: all fine",
        ),
        ("Line one\r\nLine two\r\n\r\n\r\n\r\nLine three", "Line one\nLine two\n\nLine three"),
        ("", ""),
    ],
)
def test_strip_quoted(mail: str, kept: str) -> None:
    assert strip_quoted(mail) == kept


def test_quoted_keywords_do_not_count() -> None:
    assert read_intent(GMAIL_IT).kind == "return"
    assert read_intent(OUTLOOK).kind == "rating"  # the quoted "return" is ignored
    assert read_intent(OUTLOOK_ORIGINAL).kind == "message"  # "refund" only in the quote
    assert read_intent(APPLE_UNQUOTED) == Intent("rating", 4, "★★★★☆ bello!")


# --- intents -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "rating"),
    [
        # returns, English
        ("I want to return this", "return", None),
        ("Can I get a REFUND please?", "return", None),
        ("How do I send it back?", "return", None),
        ("I'd like to send them back", "return", None),
        ("Return", "return", None),
        ("I want my money back", "return", None),
        # returns, Italian
        ("Vorrei fare il reso", "return", None),
        ("Voglio restituire la tazza", "return", None),
        ("Posso restituirlo?", "return", None),
        ("Chiedo il rimborso", "return", None),
        ("Vorrei rendere l'articolo", "return", None),
        ("Come faccio a rimandarlo indietro?", "return", None),
        # both: a return wins
        ("5 stars but I want to return it", "return", None),
        ("★★ rimborso subito", "return", None),
        # ratings
        ("5", "rating", 5),
        ("  3.  ", "rating", 3),
        ("1", "rating", 1),
        ("4/5", "rating", 4),
        ("4 / 5", "rating", 4),
        ("I'd say 3 out of 5", "rating", 3),
        ("4 su 5, bella tazza", "rating", 4),
        ("★★★★", "rating", 4),
        ("★★★☆☆", "rating", 3),
        ("⭐⭐⭐⭐⭐", "rating", 5),
        ("5 stars, lovely", "rating", 5),
        ("Five stars!", "rating", 5),
        ("5 stelle", "rating", 5),
        ("Direi cinque stelle", "rating", 5),
        ("rating: 4", "rating", 4),
        ("Voto 2, arrivato tardi", "rating", 2),
        ("5 - great mug!", "rating", 5),
        ("5\n\nThank you so much!", "rating", 5),
        # a score, then words (tester's F18), in the seven languages; scales of 5 and 10
        ("4/5 very good", "rating", 4),
        ("4/5 molto bene", "rating", 4),
        ("4/5 très bien", "rating", 4),
        ("4/5 sehr gut, danke", "rating", 4),
        ("4/5 muy bien", "rating", 4),
        ("4/5 heel tevreden", "rating", 4),
        ("4/5 muito bom", "rating", 4),
        ("3/5 ok but late", "rating", 3),
        ("Hi!\n4/5 great mug", "rating", 4),
        ("4 out of 5", "rating", 4),
        ("4 out of 5 very happy", "rating", 4),
        ("4 von 5 Sternen", "rating", 4),
        ("4 de 5, muito bom", "rating", 4),
        ("4 op 5 goed", "rating", 4),
        ("quattro stelle", "rating", 4),
        ("10/10", "rating", 5),
        ("10/10 would buy again", "rating", 5),
        ("8/10 sehr gut", "rating", 4),
        ("7/10", "rating", 4),  # 3.5, half up
        ("1/10", "rating", 1),
        ("5 - alles bestens", "rating", 5),
        ("★★★★ muito bom", "rating", 4),
        ("5 stelle, perfetto", "rating", 5),
        # not ratings
        ("order 4/5 items missing", "message", None),
        ("4/5 items missing", "message", None),
        ("Faltan 4/5 artículos", "message", None),
        ("4 su 5 arrivati rotti", "message", None),
        ("4/5 non arrivati", "message", None),
        ("The parcel arrived on 4/5.", "message", None),
        ("consegnato il 4/5", "message", None),
        ("Ich bin am 4/5 nicht da", "message", None),
        ("livré le 4/5", "message", None),
        ("4/5/2026", "message", None),
        ("Ordine #4/5", "message", None),
        ("2 of 5 arrived broken", "message", None),
        ("I want to return 2 of 5", "return", None),
        ("0/10", "message", None),
        ("11/10", "message", None),
        ("6", "message", None),
        ("0", "message", None),
        ("10/5 would buy again", "message", None),
        ("rating: 7", "message", None),
        ("6 stars", "message", None),
        ("★★★★★★", "message", None),
        ("1 out of 5 mugs arrived broken", "message", None),
        ("2 mugs arrived, 1 missing", "message", None),
        ("1. wrong colour\n2. late", "message", None),
        ("4.5/5", "message", None),
        ("Where is my parcel?", "message", None),
        ("Il pacco non è ancora arrivato", "message", None),
        ("I returned home late", "message", None),  # "returned" is not "return"
        ("", "message", None),
    ],
)
def test_read_intent(text: str, kind: str, rating: int | None) -> None:
    intent = read_intent(text)

    assert (intent.kind, intent.rating) == (kind, rating)
    assert intent.reason == text.strip()


def test_reason_is_trimmed_and_bounded() -> None:
    intent = read_intent("  " + "a" * 900 + "  ")
    assert intent.reason == "a" * 500


def test_intent_is_frozen() -> None:
    intent = read_intent("5")
    with pytest.raises(AttributeError):
        intent.kind = "return"  # type: ignore[misc]


@given(st.text(max_size=2000))
def test_reading_never_raises(text: str) -> None:
    intent = read_intent(text)
    assert intent.kind in {"return", "rating", "message"}
    assert intent.rating is None or 1 <= intent.rating <= 5
    assert (intent.rating is not None) == (intent.kind == "rating")
    assert len(intent.reason) <= 500
    assert isinstance(strip_quoted(text), str)


@pytest.mark.parametrize("digits", ["9" * 5000, "4" + "0" * 4500, "00005"])
def test_huge_numbers_are_not_ratings(digits: str) -> None:
    assert read_intent(f"rating: {digits}").kind == "message"
    assert read_intent(f"{digits}/5").kind == "message"


# --- auto replies ------------------------------------------------------------------------------


def mail(headers: dict[str, str], body: str = "Hello") -> Message:
    head = {"From": "Ada <ada@example.com>", "To": "reply+1-x@shop.example", "Subject": "Re: hi"}
    head.update(headers)
    raw = "".join(f"{k}: {v}\n" for k, v in head.items() if v is not None) + "\n" + body
    return message_from_string(raw)


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"Auto-Submitted": "auto-generated; owner-email=x@y"},
        {"X-Autoreply": "yes"},
        {"X-Autorespond": "Out of office"},
        {"Precedence": "bulk"},
        {"Precedence": "junk"},
        {"Precedence": "auto_reply"},
        {"Return-Path": "<>"},
        {"From": "MAILER-DAEMON@mx.example.com"},
        {"From": "Mail Delivery System <postmaster@example.com>"},
        {"Sender": "mailer-daemon@example.com"},
        {"Content-Type": 'multipart/report; report-type=delivery-status; boundary="b"'},
        {"Subject": "Out of Office: Re: Your order ORD-000123"},
        {"Subject": "Automatic reply: How was your order?"},
        {"Subject": "Fuori sede: Re: il tuo ordine"},
        {"Subject": "Risposta automatica: Re: il tuo ordine"},
        {"Subject": "=?utf-8?q?Risposta_automatica=3A_ordine?="},
        {"Subject": "Undeliverable: Your order"},
    ],
)
def test_auto_replies_are_recognised(headers: dict[str, str]) -> None:
    assert is_auto_reply(mail(headers))


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Auto-Submitted": "no"},
        {"Precedence": "first-class"},
        {"Subject": "Re: I am out of patience, where is my order?"},
        {"Subject": "Re: Return for ORD-000123"},
        {"Return-Path": "<ada@example.com>"},
    ],
)
def test_people_are_not_auto_replies(headers: dict[str, str]) -> None:
    assert not is_auto_reply(mail(headers))


# --- message bodies ---------------------------------------------------------------------------


def test_extract_prefers_plain_text() -> None:
    msg = EmailMessage()
    msg["From"] = "ada@example.com"
    msg.set_content("5 stelle, perfetto")
    msg.add_alternative("<p>ignored <b>html</b></p>", subtype="html")

    assert body_text(msg) == "5 stelle, perfetto"


def test_extract_converts_html_only_mail_and_marks_quotes() -> None:
    msg = EmailMessage()
    msg.set_content(
        "<html><head><style>p{color:red}</style></head><body>"
        "<div>I want a <b>refund</b> &amp; a label.</div><div>Ada</div>"
        '<div class="gmail_quote"><blockquote>Your order &lt;ORD-1&gt; shipped</blockquote></div>'
        "<script>alert(1)</script></body></html>",
        subtype="html",
    )

    text = body_text(msg)
    assert text.splitlines()[:2] == ["I want a refund & a label.", "Ada"]
    assert "> Your order <ORD-1> shipped" in text
    assert "color" not in text and "alert" not in text
    assert strip_quoted(text) == "I want a refund & a label.\nAda"
    assert read_intent(text).kind == "return"


def test_extract_decodes_charsets_safely() -> None:
    latin = (
        b"Content-Type: text/plain; charset=iso-8859-1\n"
        b"Content-Transfer-Encoding: 8bit\n\nPerch\xe9 il pacco \xe8 in ritardo?"
    )
    assert body_text(message_from_bytes(latin)) == "Perché il pacco è in ritardo?"

    unknown = b"Content-Type: text/plain; charset=x-no-such-charset\n\ncaf\xc3\xa9"
    assert body_text(message_from_bytes(unknown)) == "café"

    broken = b"Content-Type: text/plain; charset=utf-8\n\nbad \xff byte"
    assert body_text(message_from_bytes(broken)) == "bad \ufffd byte"


def test_extract_skips_attachments_and_forwarded_messages() -> None:
    msg = EmailMessage()
    msg.set_content("See the photo: the mug is broken.")
    msg.add_attachment(b"\x89PNG...", maintype="image", subtype="png", filename="mug.png")
    msg.add_attachment("not the body", subtype="plain", filename="notes.txt")

    assert body_text(msg) == "See the photo: the mug is broken."

    only_attachment = EmailMessage()
    only_attachment.add_attachment("secret", subtype="plain", filename="a.txt")
    assert body_text(only_attachment) == ""


def test_extract_reads_quoted_printable_and_base64() -> None:
    raw = (
        "MIME-Version: 1.0\n"
        'Content-Type: multipart/alternative; boundary="xx"\n\n'
        "--xx\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
        "NCBzdGVsbGUsIGdyYXppZSE=\n"
        "--xx\nContent-Type: text/html; charset=utf-8\n"
        "Content-Transfer-Encoding: quoted-printable\n\n<p>4 stelle, grazie=21</p>\n"
        "--xx--\n"
    )
    msg = message_from_string(raw, policy=policy.default)
    assert body_text(msg) == "4 stelle, grazie!"
    assert read_intent(body_text(msg)) == Intent("rating", 4, "4 stelle, grazie!")


@given(st.binary(max_size=2000))
def test_extract_never_raises_on_garbage(raw: bytes) -> None:
    msg = message_from_bytes(b"Content-Type: text/html; charset=utf-8\n\n" + raw)
    assert isinstance(body_text(msg), str)
    assert isinstance(is_auto_reply(message_from_bytes(raw)), bool)


@given(st.binary(max_size=3000))
def test_modern_parsing_never_raises_on_garbage(raw: bytes) -> None:
    from channels.email.body import files
    from channels.email.intent import addresses, first_address

    for data in (raw, b"Content-Type: multipart/mixed; boundary=b\n\n--b\n" + raw):
        msg = message_from_bytes(data, policy=policy.default)
        assert isinstance(body_text(msg), str)
        assert isinstance(files(msg), list)
        assert isinstance(is_auto_reply(msg), bool)
        assert isinstance(first_address(msg, "From"), tuple)
        assert isinstance(addresses(msg, "To"), list)


@given(st.text(max_size=300))
def test_hostile_headers_never_raise(value: str) -> None:
    from channels.email.body import files
    from channels.email.intent import first_address

    for header in ("From", "Sender", "Return-Path", "Content-Type", "Content-Disposition",
                   "Content-Transfer-Encoding"):
        raw = (f"From: ada@example.com\n{header}: {value}\nSubject: {value}\n\nhi"
               ).encode("utf-8", "replace")
        msg = message_from_bytes(raw, policy=policy.default)
        name, address = first_address(msg, "From")
        assert isinstance(name, str) and isinstance(address, str)
        assert isinstance(is_auto_reply(msg), bool)
        assert isinstance(body_text(msg), str) and isinstance(files(msg), list)
