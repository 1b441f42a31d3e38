"""Intent and language classification: TF-IDF centroids over `text.features`, plus the cue
words of `lexicon` for intents. Trained by counting: 0.3 to 1.2 s for our 477 utterances
on this shared machine, so `make` trains it ahead (see `model`); a guess costs about a
millisecond of processor time.

Chosen by measuring on our test split (153 utterances): centroids plus cue words 97.4 %;
scikit-learn's logistic regression / linear SVM over the same features 72.5 %, and 82 % with
the cue words as extra features; centroids alone 61 %; naive Bayes 66 %. Importing
scikit-learn and SciPy also costs seconds here.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from channels.understanding.corpus import UNKNOWN
from channels.understanding.text import features, fold, words

CUE_WEIGHT = 0.35  # one cue word is worth this much cosine similarity
MAX_CUES = 2  # more cue words of one intent add nothing
TYPO_STEM = 5  # stems this long also match with one edit
TYPO_TAIL = 2  # … in words at most this much longer than the stem
UNSURE = 0.12  # below this confidence a guess is "unknown"
UNSURE_WITHOUT_CUE = 0.2  # … and below this when none of the intent's cue words is there


@dataclass(frozen=True)
class Guess:
    """The best label, a confidence from 0 to 1 (its share of the top two scores, scaled by
    how well it matched at all), and the runner-up."""

    label: str
    confidence: float
    second: str | None = None


Vector = dict[str, float]


def _norm(vector: Mapping[str, float]) -> Vector:
    length = math.sqrt(sum(w * w for w in vector.values())) or 1.0
    return {key: w / length for key, w in vector.items()}


class Centroids:
    """Each label's mean TF-IDF vector; `similarities(text)` is the cosine to each."""

    def __init__(self, idf: dict[str, float], centroids: dict[str, Vector]) -> None:
        self.idf = idf
        self.labels = tuple(sorted(centroids))
        # feature → [(label, weight)]: a message's few features meet only the labels that
        # have them, instead of every label looking up every feature. The centroids are
        # kept only this way (the saved model is half the size).
        postings: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for label, centroid in centroids.items():
            for feature, weight in centroid.items():
                postings[feature].append((label, weight))
        self.postings = dict(postings)

    @classmethod
    def train(cls, examples: Iterable[tuple[str, str]]) -> Centroids:
        documents = [(set(features(text)), label) for text, label in examples]
        frequency: Counter[str] = Counter()
        for found, _ in documents:
            frequency.update(found)
        total = len(documents)
        idf = {f: math.log((1 + total) / (1 + n)) + 1.0 for f, n in frequency.items()}
        sums: dict[str, Counter[str]] = defaultdict(Counter)
        for found, label in documents:
            sums[label].update(_norm({f: idf[f] for f in found}))
        return cls(idf, {label: _norm(vector) for label, vector in sums.items()})

    def vector(self, text: str) -> Vector:
        return _norm({f: self.idf[f] for f in set(features(text)) if f in self.idf})

    def similarities(self, text: str) -> dict[str, float]:
        scores = dict.fromkeys(self.labels, 0.0)
        for feature, weight in self.vector(text).items():
            for label, centroid_weight in self.postings.get(feature, ()):
                scores[label] += weight * centroid_weight
        return scores

    def guess(self, text: str) -> Guess:
        return _best(self.similarities(text))


class Cues:
    """Which intents' cue words a text contains (stems, phrases, one typo for long stems).

    Stems are indexed: whole words and prefixes by their text, typo candidates by their
    first letter, so a message costs a few dictionary look-ups per word."""

    def __init__(self, cues: Mapping[str, Sequence[str]]) -> None:
        self.phrases: list[tuple[str, str]] = []
        self.whole: dict[str, set[str]] = defaultdict(set)
        self.prefixes: dict[str, set[str]] = defaultdict(set)
        self.typos: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for intent, all_cues in cues.items():
            for cue in (fold(c) for c in all_cues):
                if " " in cue:
                    self.phrases.append((intent, cue))
                elif cue.endswith("$") or len(cue) <= 3:
                    self.whole[cue.rstrip("$")].add(intent)
                else:
                    self.prefixes[cue].add(intent)
                    if len(cue) >= TYPO_STEM:
                        self.typos[cue[0]].append((intent, cue))

    def count(self, text: str) -> Counter[str]:
        """How many cue words of each intent `text` contains (each cue counted once)."""
        found = words(text)
        line = " " + " ".join(found) + " "
        hits: set[tuple[str, str]] = {(intent, phrase) for intent, phrase in self.phrases
                                      if " " + phrase in line}
        for word in found:
            hits.update((intent, word) for intent in self.whole.get(word, ()))
            for end in range(4, len(word) + 1):
                stem = word[:end]
                hits.update((intent, stem) for intent in self.prefixes.get(stem, ()))
            if len(word) >= TYPO_STEM - 1:
                hits.update((intent, stem) for intent, stem in self.typos.get(word[0], ())
                            if _one_typo(word, stem))
        return Counter(intent for intent, _ in hits)


def _one_typo(word: str, stem: str) -> bool:
    """`word` is `stem`, or barely longer, but for one edit ("cancle" for "cancel"); a
    longer word is another word ("bestellung" is not a typo of "bestellt")."""
    return len(word) <= len(stem) + TYPO_TAIL and Levenshtein.distance(
        word[:len(stem)], stem, score_cutoff=1) <= 1


class IntentModel:
    """Centroids and cue words of one audience's intents."""

    def __init__(self, centroids: Centroids, cues: Cues) -> None:
        self.centroids = centroids
        self.cues = cues

    def scores(self, text: str, cues: Counter[str] | None = None) -> dict[str, float]:
        scores = self.centroids.similarities(text)
        for intent, n in (self.cues.count(text) if cues is None else cues).items():
            if intent in scores:
                scores[intent] += CUE_WEIGHT * min(n, MAX_CUES)
        return scores

    def best(self, text: str) -> Guess:
        """The best-scoring label, however low its score."""
        return _best(self.scores(text))

    def guess(self, text: str) -> Guess:
        """The intent, or `UNKNOWN` when nothing scores well enough."""
        cues = self.cues.count(text)
        guess = _best(self.scores(text, cues))
        least = UNSURE if cues[guess.label] else UNSURE_WITHOUT_CUE
        if guess.confidence < least and guess.label != UNKNOWN:
            return Guess(UNKNOWN, guess.confidence, guess.label)
        return guess


def _best(scores: Mapping[str, float]) -> Guess:
    ranked = sorted(scores.items(), key=lambda pair: pair[1], reverse=True)
    best_label, best = ranked[0]
    second_label, second = ranked[1] if len(ranked) > 1 else (None, 0.0)
    if best <= 0:
        return Guess(best_label, 0.0, second_label)
    margin = (best - max(second, 0.0)) / best
    return Guess(best_label, min(1.0, best) * (0.5 + 0.5 * margin), second_label)
