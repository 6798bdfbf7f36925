"""A second opinion on the model's first candidates: how close the question comes to their nearest phrasing.

The learned model (ask/model.py) adds up evidence word by word, so it cannot see that the question
says what one phrasing says as a whole. The nearest phrasing's similarity (0–100, the IDF-weighted
overlap that answered before the model and still drives `check-knowledge`'s ambiguity check,
spravka_tools/knowledge/similarity.py) can: each of the model's first `CANDIDATES` targets gets its
probability multiplied by exp(`WEIGHT` × similarity / 100), and the list is renormalised. On the held-out
folds (`spravka eval --cv 5`, docs/ask.md) the first choice went from 86.4% to 88.0% right and, at the
rule's thresholds, the right answers from 70.9% to 74.2% with the same 2.0% wrong.

The data is built by `spravka build-index` (index.json's `nearest`): each stem's weight in a question,
the stems so common that they only add to phrasings found through rarer ones, and per target its
phrasings' postings (stem -> the target's own phrasing numbers) and norms. Scoring a candidate walks only
its own postings, so the cost does not grow with the size of the knowledge.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

CANDIDATES = 3  # how many of the model's first targets get a second opinion
WEIGHT = 5.0  # chosen on the held-out folds: 3–8 all help, 5 scored best by the rule (docs/ask.md)
# A question of fewer stems gets no second opinion: every short phrasing that holds its one or two words is
# «nearest» at about 100, so the similarity would only pick the target with the shortest such phrasing
# («счётчик» → meter-broken at 90% instead of a choice).
MIN_STEMS = 3
# The same constants as the similarity that built the data (spravka_tools/knowledge/similarity.py).
PRECISION_POWER = 0.35
UNKNOWN_WEIGHT = 1.0


@dataclasses.dataclass(frozen=True, eq=False)
class Nearest:
    weights: Mapping[str, float]  # a stem's weight in a question; a stem the knowledge never uses: UNKNOWN_WEIGHT
    common: frozenset[str]  # stems that only add to phrasings found through rarer ones
    found: frozenset[str]  # stems that some phrasing uses
    targets: Mapping[str, Mapping[str, Any]]  # target -> {"norm": [per phrasing], "postings": {stem: [numbers]}}


def nearest_from_data(data: Mapping[str, Any]) -> Nearest:
    targets = data["targets"]
    found = frozenset().union(*(t["postings"] for t in targets.values()))
    return Nearest(data["weights"], frozenset(data["common"]), found, targets)


def similarities(nearest: Nearest, stems: Iterable[str], candidates: Iterable[str]) -> dict[str, float]:
    """Each candidate's nearest phrasing: its score (0–100) against the question's stems."""
    weights = {s: nearest.weights.get(s, UNKNOWN_WEIGHT) for s in stems}
    if not weights:
        return dict.fromkeys(candidates, 0.0)
    scale = 100.0 * sum(weights.values()) ** -PRECISION_POWER
    rare = [(s, w) for s, w in weights.items() if s in nearest.found and s not in nearest.common]
    common = [(s, w) for s, w in weights.items() if s in nearest.common]
    if not rare:  # only common words: they find the phrasings themselves
        rare, common = common, []
    best: dict[str, float] = {}
    for target in candidates:
        data = nearest.targets.get(target)
        if data is None:
            best[target] = 0.0
            continue
        postings = data["postings"]
        overlap: dict[int, float] = {}
        get = overlap.get
        for s, w in rare:
            for entry in postings.get(s, ()):
                overlap[entry] = get(entry, 0.0) + w
        for s, w in common:
            for entry in postings.get(s, ()):
                if entry in overlap:
                    overlap[entry] += w
        norm = data["norm"]
        best[target] = scale * max((shared * norm[e] for e, shared in overlap.items()), default=0.0)
    return best


def reweigh(
    nearest: Nearest | None, stems: Iterable[str], ranked: Sequence[tuple[str, float]]
) -> list[tuple[str, float]]:
    """The model's ranked targets with the first CANDIDATES weighed by their nearest phrasing, best first.

    The targets below the list keep their probability mass (1 − the list's sum), so a question the
    model found nothing for stays unsure. A question of fewer than MIN_STEMS stems is left as it is.
    """
    stems = set(stems)
    if nearest is None or not ranked or len(stems) < MIN_STEMS:
        return list(ranked)
    head = ranked[:CANDIDATES]
    close = similarities(nearest, stems, [t for t, _ in head])
    weighed = [(t, p * math.exp(WEIGHT * close[t] / 100.0)) for t, p in head] + list(ranked[CANDIDATES:])
    total = sum(p for _, p in weighed) + max(0.0, 1.0 - sum(p for _, p in ranked))
    return sorted(((t, p / total) for t, p in weighed), key=lambda tp: -tp[1])
