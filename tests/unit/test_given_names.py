"""The name a greeting uses, derived from the one full name we store."""

from __future__ import annotations

import pytest

from channels.given_names import given_name


@pytest.mark.parametrize(("full", "given"), [
    ("Grete Müller", "Grete"),
    ("  Grete   Müller ", "Grete"),
    ("Turing, Alan", "Alan"),
    ("Turing, Alan Mathison", "Alan"),
    ("van der Berg, Jan", "Jan"),
    ("Madonna", "Madonna"),
    ("Hans-Peter Meier", "Hans-Peter"),
    ("Dr. Grete Müller", "Grete"),
    ("Prof. Dr. Grete Müller", "Grete"),
    ("Sig.ra Anna Bianchi", "Anna"),
    ("Dott. Marco Rossi", "Marco"),
    ("Müller, Frau Grete", "Grete"),
    ("GRETE MÜLLER", "Grete"),
    ("grete müller", "Grete"),
    ("Zoë O'Brien", "Zoë"),
    ("D'Arcy Smith", "D'Arcy"),
    ("Ólafur Arnalds", "Ólafur"),
])
def test_the_given_name_of_a_full_name(full: str, given: str) -> None:
    assert given_name(full) == given


@pytest.mark.parametrize("full", [
    None, "", "   ",
    "Frau Müller",  # a title and a family name: no given name
    "Dr. Müller",
    "A. Turing",  # an initial is not a name to greet with
    "J.R.R. Tolkien",
    "Turing,",
    "ada@example.com",
    "Kunde 12",
    "Acme GmbH",
    "Rossi S.r.l.",
    "山田 太郎",  # family name first: we cannot tell which is which
    "김민준",
    "Ada <script>alert(1)</script>",
])
def test_a_name_we_cannot_split_greets_without_a_name(full: str | None) -> None:
    assert given_name(full) is None
