"""The trained reader as a build artifact: `make` writes `data/reader.pickle` (build output,
not in git) from the training split and the code that trains it, so no process trains on
its first plain-words message.

The file holds two pickles: the fingerprint of what it was built from (the training split,
the modules below, the Python version), then the `Reader`. A file whose fingerprint differs
from the sources at hand (data or code edited without `make`) is not used: the caller trains
instead. Loading takes 50 to 140 ms on this shared machine; training 0.3 to 1.2 s.

    python -m channels.understanding.model [PATH]   # what `make` runs
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import sys
import threading
import time
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from channels.understanding.reader import Reader

log = logging.getLogger(__name__)
FORMAT = "omsbot-reader-1"
# Everything a trained reader depends on, relative to this package.
SOURCES = ("data/train.tsv", "text.py", "classifier.py", "lexicon.py", "corpus.py",
           "reader.py", "model.py")


def default_path() -> Path:
    """`channels/understanding/data/reader.pickle`, beside the training split."""
    return Path(str(resources.files("channels.understanding").joinpath("data/reader.pickle")))


def fingerprint() -> str:
    """A hash of the sources, the format and the Python version (pickles of one Python
    may not load in another)."""
    digest = hashlib.sha256(f"{FORMAT} {sys.version_info[:2]}".encode())
    package = resources.files("channels.understanding")
    for name in SOURCES:
        digest.update(name.encode())
        digest.update(package.joinpath(name).read_bytes())
    return digest.hexdigest()


def save(reader: Reader, path: Path) -> None:
    """Write `reader` with the current fingerprint (atomically: a reader of the file never
    sees half of it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    with partial.open("wb") as out:
        pickle.dump(fingerprint(), out, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump(reader, out, protocol=pickle.HIGHEST_PROTOCOL)
    partial.replace(path)


def load(path: Path) -> Reader | None:
    """The reader saved at `path`, or None when there is none or it is stale."""
    from channels.understanding.reader import Reader

    try:
        with path.open("rb") as built:
            # Our own build output, written by `save` from the repository's sources.
            if pickle.load(built) != fingerprint():  # noqa: S301
                log.info("%s is stale (its sources changed); training instead", path)
                return None
            reader = pickle.load(built)  # noqa: S301
    except FileNotFoundError:
        return None
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError) as problem:
        log.warning("cannot read %s (%s); training instead", path, problem)
        return None
    return reader if isinstance(reader, Reader) else None


def load_or_train(path: Path | None = None) -> Reader:
    """The built reader, or one trained now from the training split (logged: `make`
    builds it ahead)."""
    from channels.understanding.corpus import training_utterances
    from channels.understanding.reader import Reader

    path = path or default_path()
    built = load(path)
    if built is not None:
        return built
    started = time.perf_counter()
    trained = Reader.train(training_utterances())
    log.info("plain-words reader trained in %.0f ms (`make` builds %s ahead)",
             (time.perf_counter() - started) * 1000, path)
    return trained


def warm_up() -> threading.Thread:
    """Import and load (or train) the process's reader in a background thread, at start-up:
    the first plain-words message then finds it ready (or waits for it off the event loop,
    see `reader.ready`)."""
    def load() -> None:
        from channels.understanding.reader import reader

        reader()

    thread = threading.Thread(target=load, name="plain-words-reader", daemon=True)
    thread.start()
    return thread


def build(path: Path) -> None:
    """Train the reader and save it at `path` (`make` does this when a source changed)."""
    from channels.understanding.corpus import training_utterances
    from channels.understanding.reader import Reader

    save(Reader.train(training_utterances()), path)


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else default_path())
