"""The staff admin command: `staff @user viewer|operator|admin`."""

from __future__ import annotations

from channels.staff_grammar.words import Invocation, Parser
from channels.staff_requests import Role, SetStaffRole
from channels.staff_values import parse_person
from domain.texts import N_


def _staff(words: Invocation) -> SetStaffRole:
    words.require(N_("a person (@user)"), N_("a role (viewer, operator or admin)"))
    if not words.word(0).startswith("@"):  # only an unescaped `@Ann Smith` has spaces
        words.at_most(2)
    role = words.choice(len(words) - 1, tuple(Role), N_("a role"))
    person = " ".join(words.word(i) for i in range(len(words) - 1))
    try:
        user_id, name = parse_person(person)
    except ValueError as problem:
        raise words.error(problem.args[0]) from None  # the value parser's Text
    return SetStaffRole(user_id, role, name)


PARSERS: dict[str, Parser] = {"staff": _staff}
