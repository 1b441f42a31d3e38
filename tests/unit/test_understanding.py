"""The reader on the labelled test split (accuracy thresholds, figures printed), and the
values it finds in plain words."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench.intents import TEST_SPLIT, demo_catalogue, evaluate, report
from channels.understanding import entities as en
from channels.understanding.corpus import training_utterances, utterances_at
from channels.understanding.reader import Reader, reader

INTENT_GOAL = 0.95
ENTITY_GOAL = 0.95
LANGUAGE_GOAL = 0.90
P99_GOAL_MS = 20.0  # processor time of a reading: on a machine shared with parallel test
# runs, wall-clock time also counts the waits for a processor


def test_the_corpus_is_big_varied_and_split_without_overlap() -> None:
    train, test = training_utterances(), utterances_at(TEST_SPLIT)
    assert len(train) + len(test) >= 400
    assert {u.language for u in test} == {"en", "it", "de"}
    assert {u.audience for u in test} == {"customer", "staff"}
    seen = {(u.audience, u.text.lower()) for u in train}
    assert not [u.text for u in test if (u.audience, u.text.lower()) in seen]
    assert {(u.audience, u.intent) for u in test} == {(u.audience, u.intent) for u in train}


def test_accuracy_on_the_test_split_meets_the_goals() -> None:
    figures = evaluate(reader(), utterances_at(TEST_SPLIT), demo_catalogue(), rounds=3)
    print("\n".join(report(figures)))
    assert figures.intent_accuracy >= INTENT_GOAL
    assert figures.entity_accuracy >= ENTITY_GOAL
    assert figures.language_accuracy >= LANGUAGE_GOAL
    assert figures.percentile(0.99, cpu=True) < P99_GOAL_MS


def test_the_reader_trains_fresh_to_the_same_answers() -> None:
    fresh = Reader.train(training_utterances())
    for u in utterances_at(TEST_SPLIT)[:40]:
        assert fresh.read(u.text, u.audience).intent == reader().read(u.text, u.audience).intent


@pytest.mark.parametrize(("text", "number"), [
    ("where is ORD-000123", 123), ("track 123 pls", 123), ("#123 where is it", 123),
    ("dov'è l'ordine 123?", 123), ("wo ist Bestellung 123", 123), ("ord-45 status", 45),
    ("order no. 77", 77), ("ship 12 with DHL 00340434161234567890", 12),
])
def test_order_numbers_in_any_form(text: str, number: int) -> None:
    assert en.order_number(en.Tokens.of(text)) == number


@given(st.integers(min_value=1, max_value=999_999),
       st.sampled_from(["where is ORD-{n:06d}?", "l'ordine {n} è partito?",
                        "Bestellung #{n} bitte", "status of order {n}", "ord-{n} pls"]))
def test_an_order_number_is_found_wherever_it_is_written(n: int, pattern: str) -> None:
    assert en.order_number(en.Tokens.of(pattern.format(n=n))) == n


@pytest.mark.parametrize(("text", "period"), [
    ("numbers for yesterday", "yesterday"), ("i numeri di ieri", "yesterday"),
    ("Zahlen von gestern", "yesterday"), ("report di oggi", "today"),
    ("wie lief diese Woche", "week"), ("monthly figures", "month"), ("report pls", None),
])
def test_relative_days_and_periods(text: str, period: str | None) -> None:
    found = en.when(en.Tokens.of(text))
    assert found == period
    if found in ("today", "yesterday"):
        assert en.day_of(found, date(2026, 11, 24)) == date(
            2026, 11, 24 if found == "today" else 23)


def test_shipping_values_and_addresses() -> None:
    tokens = en.Tokens.of("ORD-000300 shipped brt BRT0099887766 for Ada@Example.com")
    carrier = en.carrier(tokens)
    assert carrier is not None and carrier[0] == "BRT"
    assert en.tracking_number(tokens, "ORD-000300 shipped brt BRT0099887766", carrier[1]) \
        == "BRT0099887766"
    assert en.order_number(tokens) == 300
    assert en.email(tokens) == "ada@example.com"
    assert en.written_order_number(en.Tokens.of("new address: via Verdi 3")) is None


@pytest.mark.parametrize(("text", "sku", "warehouse"), [
    ("how many espresso mugs in Mailand", "MUG-01", "MIL"),
    ("stock of the moka pot 6 cups at naples", "POT-02", "NAP"),
    ("gooseneck kettels in rome", "KET-01", "ROM"),
    ("grn-02 a Milano", "GRN-02", "MIL"),
    ("moka pot everywhere", None, None),  # two moka pots: ambiguous, none chosen
])
def test_products_and_warehouses_by_name(text: str, sku: str | None,
                                         warehouse: str | None) -> None:
    catalogue = demo_catalogue()
    tokens = en.Tokens.of(text)
    assert (catalogue.take_sku(tokens), catalogue.take_warehouse(tokens)) == (sku, warehouse)
