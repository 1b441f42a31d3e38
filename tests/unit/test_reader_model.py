"""The reader as a build artifact: saved and loaded to the same answers, refused when stale
or unreadable (the caller trains instead), loaded in the background at start-up."""

from __future__ import annotations

import asyncio
import pickle
from pathlib import Path

import pytest

from bench.intents import TEST_SPLIT
from channels.understanding import model
from channels.understanding import reader as reader_module
from channels.understanding.corpus import training_utterances, utterances_at
from channels.understanding.reader import Reader


@pytest.fixture(scope="module")
def trained() -> Reader:
    return Reader.train(training_utterances())


def test_a_saved_reader_loads_to_the_same_readings(tmp_path: Path, trained: Reader) -> None:
    path = tmp_path / "reader.pickle"
    model.save(trained, path)
    loaded = model.load(path)
    assert loaded is not None
    for u in utterances_at(TEST_SPLIT):
        assert loaded.read(u.text, u.audience) == trained.read(u.text, u.audience)


def test_a_stale_or_broken_model_is_not_used(tmp_path: Path, trained: Reader) -> None:
    stale = tmp_path / "stale.pickle"
    with stale.open("wb") as out:  # built from other sources: another fingerprint
        pickle.dump("0" * 64, out)
        pickle.dump(trained, out)
    broken = tmp_path / "broken.pickle"
    broken.write_bytes(b"not a pickle")
    assert model.load(stale) is None
    assert model.load(broken) is None
    assert model.load(tmp_path / "missing.pickle") is None
    fallback = model.load_or_train(stale)  # trains instead
    assert fallback.read("where is my order 12", "customer").intent == "track"


def test_the_fingerprint_follows_the_sources() -> None:
    assert model.fingerprint() == model.fingerprint()
    assert len(model.fingerprint()) == 64
    assert "data/train.tsv" in model.SOURCES and "lexicon.py" in model.SOURCES


def test_make_rebuilds_the_model_when_any_of_its_sources_changes() -> None:
    """The Makefile's prerequisites of the model are the sources its fingerprint covers."""
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    target = "$(READER_MODEL): $(READER_SOURCES)"
    assert target in makefile and "$(READER_MODEL)" in makefile.split("install:", 1)[1]
    listed = makefile.split("READER_SOURCES :=", 1)[1].split("\n\n", 1)[0]
    for source in model.SOURCES:
        assert source.rsplit("/", 1)[-1].removesuffix(".py") in listed, source


def test_warm_up_loads_the_reader_off_the_event_loop(monkeypatch: pytest.MonkeyPatch,
                                                     trained: Reader) -> None:
    monkeypatch.setattr(reader_module, "_loaded", [])
    monkeypatch.setattr(model, "load_or_train", lambda path=None: trained)
    thread = model.warm_up()
    thread.join(timeout=30)
    assert reader_module._loaded == [trained]
    assert asyncio.run(reader_module.ready()) is trained
