"""The customer's own new words: quoted history, signatures and phone footers removed.

Two passes. quotequail (Close's maintained library) finds the reply/forward boundary it
knows (attributions in en, de, fr, es, nl, pt, Outlook header blocks and separators) and
gives the text above and below it. Ours then handles what it leaves, measured on
tests/corpora/mail/: Italian ("Il giorno … ha scritto:", "Da: / Inviato: / Oggetto:"),
French Outlook's "De\u00a0:" labels, ">" lines quotequail keeps in the text below an
interleaved reply, "-- " signatures and the footers phones append ("Von meinem iPhone
gesendet"). mail-parser-reply was measured too; it drops a bottom-posted reply's new words.
"""

from __future__ import annotations

import re
from contextlib import suppress

import quotequail

_SPACE = r"[ \t\u00a0\u202f]"

# An attribution: the line (or two or three lines joined: Gmail wraps) introducing a quote.
_ATTRIBUTION = re.compile(
    r"^\s*>?\s*(?:"
    r"on\s.{1,300}\swrote"  # en: Gmail, Apple Mail, Thunderbird
    r"|il\s.{1,300}\sha\sscritto"  # it
    r"|am\s.{1,300}\sschrieb(?:\s.{0,300})?"  # de
    r"|le\s.{1,300}\sa\sécrit"  # fr
    r"|el\s.{1,300}\sescribió"  # es
    r"|op\s.{1,300}\s(?:schreef(?:\s.{0,300})?|heeft\s.{1,300}\s(?:het\svolgende\s)?geschreven)"
    r"|(?:em|no\sdia)\s.{1,300}\sescreveu"  # pt
    + r")" + _SPACE + r"?:\s*$",
    re.IGNORECASE | re.DOTALL,
)
# Only a line with a digit (a date or a time) may begin a wrapped attribution.
_ATTRIBUTION_START = re.compile(r"^\s*>?\s*(?:on|il|am|le|el|op|em|no\sdia)\s.*[0-9]",
                                re.IGNORECASE)
_SEPARATOR = re.compile(
    r"^\s*(?:-{2,}\s*(?:original\s+message|messaggio\s+originale|ursprüngliche\s+nachricht"
    r"|message\s+d'origine|mensaje\s+original|oorspronkelijk\s+bericht|mensagem\s+original"
    r"|forwarded\s+message|messaggio\s+inoltrato|weitergeleitete\s+nachricht"
    r"|message\s+transféré|mensaje\s+reenviado|doorgestuurd\s+bericht|mensagem\s+encaminhada)"
    r"\s*-{2,}|_{10,}|(?:begin\s+forwarded\s+message|inizio\s+messaggio\s+inoltrato"
    r"|anfang\s+der\s+weitergeleiteten\s+e-mail)\s*:)\s*$",
    re.IGNORECASE,
)
# An Outlook header block: "From:" (in any of our languages) and another header soon after.
_FROM_LABELS = r"from|da|von|de|van"
_NEXT_LABELS = (r"sent|date|to|subject|cc|inviato|data|a|oggetto|gesendet|datum|an|betreff"
                r"|envoyé|à|objet|enviado|fecha|para|asunto|verzonden|aan|onderwerp|assunto")
_HEADER_FROM = re.compile(rf"^\s*\*?(?:{_FROM_LABELS}){_SPACE}*:\*?{_SPACE}*\S", re.IGNORECASE)
_HEADER_NEXT = re.compile(rf"^\s*\*?(?:{_NEXT_LABELS}){_SPACE}*:", re.IGNORECASE)
_SIGNATURE = re.compile(r"^--[ \t]*$")
_FOOTER = re.compile(
    r"^\s*(?:sent\s+from\s+my\s|sent\s+from\s|inviato\s+da\s|inviato\s+dal\s+mio\s"
    r"|von\s+meinem\s.{1,30}\sgesendet|gesendet\s+von\s|envoyé\s+de\s+mon\s"
    r"|enviado\s+desde\s+mi\s|verstuurd\s+vanaf\s+mijn\s|verzonden\s+vanaf\s+mijn\s"
    r"|enviado\s+do\s+meu\s|enviado\s+de\s+meu\s"
    r"|get\s+outlook\s+for\s|scarica\s+outlook\s+per\s|ottieni\s+outlook\s+per\s"
    r"|outlook\s+für\s.{1,20}\sbeziehen|télécharger\s+outlook\s+pour\s"
    r"|obtener\s+outlook\s+para\s|outlook\s+voor\s.{1,20}\sdownloaden"
    r"|obter\s+o\s+outlook\s+para\s).{0,40}$",
    re.IGNORECASE,
)


def _attribution_at(lines: list[str], i: int) -> int:
    """How many lines the attribution starting at line `i` spans (0: none)."""
    if _ATTRIBUTION.match(lines[i]):
        return 1
    if not _ATTRIBUTION_START.match(lines[i]):
        return 0
    for n in (2, 3):  # Gmail and Apple Mail wrap a long attribution
        joined = " ".join(line.strip().lstrip(">").strip() for line in lines[i:i + n])
        if i + n <= len(lines) and _ATTRIBUTION.match(joined):
            return n
    return 0


def _header_block_at(lines: list[str], i: int) -> bool:
    if not _HEADER_FROM.match(lines[i]):
        return False
    return any(_HEADER_NEXT.match(line) for line in lines[i + 1:i + 4])


def _quote_follows(lines: list[str], i: int) -> bool:
    following = next((line for line in lines[i:] if line.strip()), "")
    return following.lstrip().startswith(">")


def own_words(text: str) -> str:
    """Our pass: drop ">" lines and their attribution; cut at anything that starts quoted
    history without ">" (separators, header blocks, unquoted attributions, "-- ")."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith(">"):
            i += 1
            continue
        span = _attribution_at(lines, i)
        if span and _quote_follows(lines, i + span):  # bottom-posting: keep what follows
            i += span
            continue
        if span or _SEPARATOR.match(line) or _SIGNATURE.match(line) or \
                _header_block_at(lines, i):
            break
        kept.append(line.rstrip())
        i += 1
    while kept and (not kept[-1].strip() or _FOOTER.match(kept[-1])):
        kept.pop()
    while kept and not kept[0].strip():
        kept.pop(0)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def _library_pass(text: str) -> str:
    """quotequail's text above and below the quote; the whole text when it finds none."""
    found: dict[str, str] | None = None
    with suppress(Exception):  # a third-party parser on hostile input: never stop a mail
        found = quotequail.unwrap(text)
    if not found:
        return text
    own = [found.get(k, "") for k in ("text_top", "text_bottom")]
    return "\n\n".join(part for part in own if part.strip())


def strip_quoted(text: str) -> str:
    """The customer's own words of a plain-text body (see the module docstring)."""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return ""
    return own_words(_library_pass(text))
