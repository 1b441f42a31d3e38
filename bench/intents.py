"""Accuracy and latency of the plain-words reader on the labelled test split.

    python bench/intents.py [--rounds 5] [--busy N]

Prints intent accuracy per audience, intent and language, language-detection accuracy,
entity accuracy (every value of an utterance right, on the predicted intent), the latency
of one reading (p50/p99 over every test utterance, `--rounds` times: wall-clock, and the
processor time the reading used, which other processes on a busy machine do not inflate)
the start-up cost (loading the model `make` builds, and training it when that is missing),
and the machine's load average while measuring (the machine may be shared: `--busy N` adds N
processes that keep a processor busy, to measure under a known load). The catalogue is the
demo shop's (bot/demo.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import multiprocessing
import os
import time
from collections import defaultdict
from dataclasses import dataclass, field

from bot.demo import PRODUCTS, WAREHOUSES
from channels.understanding.catalogue import Catalogue, Product, Warehouse
from channels.understanding.corpus import Utterance, training_utterances, utterances_at
from channels.understanding.model import default_path, load
from channels.understanding.reader import Reader

TEST_SPLIT = Path(__file__).resolve().parents[1] / "tests" / "corpora" / "utterances" / "test.tsv"


@dataclass
class Figures:
    intents: dict[tuple[str, str, str], list[bool]] = field(
        default_factory=lambda: defaultdict(list))
    languages: list[bool] = field(default_factory=list)
    entities: list[bool] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)  # processor time of each reading

    @property
    def intent_accuracy(self) -> float:
        results = [ok for oks in self.intents.values() for ok in oks]
        return sum(results) / len(results)

    @property
    def entity_accuracy(self) -> float:
        return sum(self.entities) / len(self.entities)

    @property
    def language_accuracy(self) -> float:
        return sum(self.languages) / len(self.languages)

    def percentile(self, share: float, *, cpu: bool = False) -> float:
        ordered = sorted(self.cpu_ms if cpu else self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def demo_catalogue() -> Catalogue:
    return Catalogue([Product(p.sku, p.name) for p in PRODUCTS],
                     [Warehouse(w.code, w.name, w.city) for w in WAREHOUSES])


def evaluate(reader: Reader, utterances: list[Utterance], catalogue: Catalogue,
             rounds: int = 1) -> Figures:
    figures = Figures()
    for u in utterances:
        reading = reader.read(u.text, u.audience, catalogue)
        figures.intents[(u.audience, u.intent, u.language)].append(reading.intent == u.intent)
        figures.languages.append(reading.language == u.language)
        got = {key: str(value) for key, value in reading.entities.items()}
        figures.entities.append(got == u.entities)
        if reading.intent != u.intent or got != u.entities:
            figures.misses.append(f"{u.audience}/{u.language} {u.text!r}: {u.intent} "
                                  f"{u.entities} → {reading.intent} {got}")
    for _ in range(rounds):
        for u in utterances:
            start, cpu = time.perf_counter(), time.thread_time()
            reader.read(u.text, u.audience, catalogue)
            figures.cpu_ms.append((time.thread_time() - cpu) * 1000)
            figures.latencies_ms.append((time.perf_counter() - start) * 1000)
    return figures


def report(figures: Figures) -> list[str]:
    lines = [f"intent accuracy  {figures.intent_accuracy:7.1%}",
             f"entity accuracy  {figures.entity_accuracy:7.1%}",
             f"language         {figures.language_accuracy:7.1%}",
             f"latency p50 {figures.percentile(0.5):.2f} ms  p99 {figures.percentile(0.99):.2f} ms"
             f"  ({len(figures.latencies_ms)} readings)",
             f"processor time p50 {figures.percentile(0.5, cpu=True):.2f} ms  p99 "
             f"{figures.percentile(0.99, cpu=True):.2f} ms (what a reading costs when the "
             "machine is not shared)", "",
             "audience  intent          en      it      de"]
    by_intent: dict[tuple[str, str], dict[str, list[bool]]] = defaultdict(dict)
    for (audience, intent, language), oks in figures.intents.items():
        by_intent[(audience, intent)][language] = oks
    for (audience, intent), per_language in sorted(by_intent.items()):
        cells = []
        for language in ("en", "it", "de"):
            oks = per_language.get(language, [])
            cells.append(f"{sum(oks)}/{len(oks)}".rjust(6) if oks else "     -")
        lines.append(f"{audience:9} {intent:14} {'  '.join(cells)}")
    return [*lines, "", *(f"miss: {miss}" for miss in figures.misses)]


def _spin(seconds: float) -> None:
    """Keep one processor busy for `seconds`."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


def _language_totals(figures: Figures) -> str:
    totals: dict[str, list[bool]] = defaultdict(list)
    for (_audience, _intent, language), oks in figures.intents.items():
        totals[language].extend(oks)
    return "  ".join(f"{language} {sum(oks) / len(oks):.1%} ({sum(oks)}/{len(oks)})"
                     for language, oks in sorted(totals.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--busy", type=int, default=0,
                        help="processes keeping a processor busy while measuring")
    args = parser.parse_args()
    start = time.perf_counter()
    reader = Reader.train(training_utterances())
    trained = time.perf_counter() - start
    start = time.perf_counter()
    built = load(default_path())
    loaded = time.perf_counter() - start
    busy = [multiprocessing.Process(target=_spin, args=(600.0,), daemon=True)
            for _ in range(args.busy)]
    for process in busy:
        process.start()
    test = utterances_at(TEST_SPLIT)
    try:
        figures = evaluate(built or reader, test, demo_catalogue(), args.rounds)
        load_average = os.getloadavg()
    finally:
        for process in busy:
            process.terminate()
    print(f"test split: {len(test)} utterances; training: {len(training_utterances())} "
          f"utterances in {trained * 1000:.0f} ms; the built model "
          + (f"loads in {loaded * 1000:.0f} ms" if built else "is missing (run make)"))
    print(f"load average while measuring: {load_average[0]:.2f} on {os.cpu_count()} "
          f"processors ({args.busy} busy processes added)")
    print("\n".join(report(figures)))
    print(f"intent accuracy by language: {_language_totals(figures)}")


if __name__ == "__main__":
    main()
