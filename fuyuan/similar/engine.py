"""The ranking of 类案检索, in memory and without the database: BM25 over an inverted index kept in numpy arrays.

Why BM25 with Lucene's idf, ``log(1 + (N - df + 0.5) / (df + 0.5))``: a term in half of the documents or more
still counts a little (rank_bm25's ``BM25Okapi`` gives such terms zero or a floored weight, so a region where
half the cases are 行政处罚 would stop matching on it); common words weigh little, rare ones much. Each posting's
weight is computed once at build (as bm25s does), so a query is a sum over its terms' postings and a partial sort.

``OverlapIndex`` is the plain baseline the evaluation compares with: the count of distinct terms shared (used with
character bigrams, ``segment.bigrams``).
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

K1 = 1.2
B = 0.75


@dataclass(frozen=True)
class Hit:
    key: int
    score: float


class _Postings:
    """Terms → (rows, weights), built from documents given as term lists; ``keys`` name the rows (case ids)."""

    def __init__(self, keys: Sequence[int], documents: Iterable[Sequence[str]]) -> None:
        vocabulary: dict[str, int] = {}
        term_ids, rows, counts = array("i"), array("i"), array("f")
        lengths = array("f")
        for row, document in enumerate(documents):
            tf = Counter(document)
            lengths.append(len(document))
            for term, count in tf.items():
                term_ids.append(vocabulary.setdefault(term, len(vocabulary)))
                rows.append(row)
                counts.append(count)
        self.vocabulary = vocabulary
        self.keys = np.asarray(keys, dtype=np.int64)
        self.size = len(lengths)
        t = np.frombuffer(term_ids, dtype=np.int32)
        order = np.argsort(t, kind="stable")
        self.rows = np.frombuffer(rows, dtype=np.int32)[order]
        self.counts = np.frombuffer(counts, dtype=np.float32)[order]
        self.starts = np.searchsorted(t[order], np.arange(len(vocabulary) + 1)).astype(np.int64)
        self.lengths = np.frombuffer(lengths, dtype=np.float32)
        self._key_order = np.argsort(self.keys)

    def df(self, term: str) -> int:
        t = self.vocabulary.get(term)
        return 0 if t is None else int(self.starts[t + 1] - self.starts[t])

    def rows_of(self, keys: Iterable[int]) -> np.ndarray:
        """The rows of the given keys (unknown keys are left out)."""
        wanted = np.fromiter(keys, dtype=np.int64)
        sorted_keys = self.keys[self._key_order]
        at = np.searchsorted(sorted_keys, wanted)
        at = np.clip(at, 0, max(len(sorted_keys) - 1, 0))
        found = sorted_keys[at] == wanted if len(sorted_keys) else np.zeros(len(wanted), dtype=bool)
        return self._key_order[at[found]]

    def row_of(self, key: int) -> int | None:
        rows = self.rows_of([key])
        return int(rows[0]) if len(rows) else None

    def _accumulate(self, terms: Iterable[str], weights: np.ndarray) -> np.ndarray:
        scores = np.zeros(self.size, dtype=np.float32)
        for term in set(terms):
            t = self.vocabulary.get(term)
            if t is None:
                continue
            span = slice(self.starts[t], self.starts[t + 1])
            scores[self.rows[span]] += weights[span]
        return scores

    def _top(self, scores: np.ndarray, allowed: np.ndarray | None, exclude: int | None, k: int) -> list[Hit]:
        if allowed is not None:
            mask = np.zeros(self.size, dtype=bool)
            mask[allowed] = True
            scores = np.where(mask, scores, 0)
        if exclude is not None:
            scores[exclude] = 0
        k = min(k, self.size)
        if k <= 0:
            return []
        best = np.argpartition(-scores, k - 1)[:k] if k < self.size else np.arange(self.size)
        # Best first; equal scores by key so that a result list is the same on every run.
        best = best[np.lexsort((self.keys[best], -scores[best]))]
        return [Hit(int(self.keys[r]), float(scores[r])) for r in best if scores[r] > 0]


class Bm25Index(_Postings):
    def __init__(self, keys: Sequence[int], documents: Iterable[Sequence[str]], k1: float = K1, b: float = B):
        super().__init__(keys, documents)
        n = max(self.size, 1)
        average = float(self.lengths.mean()) if self.size else 1.0
        df = np.diff(self.starts).astype(np.float64)
        idf = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
        self.idf = idf
        term_of_posting = np.repeat(np.arange(len(df)), np.diff(self.starts))
        norm = k1 * (1 - b + b * self.lengths[self.rows] / max(average, 1e-9))
        self.weights = (idf[term_of_posting] * self.counts * (k1 + 1) / (self.counts + norm)).astype(np.float32)

    def term_weight(self, term: str) -> float:
        t = self.vocabulary.get(term)
        return 0.0 if t is None else float(self.idf[t])

    def search(
        self, terms: Iterable[str], *, k: int, allowed: np.ndarray | None = None, exclude: int | None = None
    ) -> list[Hit]:
        return self._top(self._accumulate(terms, self.weights), allowed, exclude, k)

    def salient(self, terms: Sequence[str], most: int) -> list[str]:
        """The ``most`` terms of a long query that say most about it (tf × idf), as Lucene's "more like this" does:
        a case's whole text as a query costs a sum over every common word's postings and adds little."""
        tf = Counter(terms)
        ranked = sorted(tf, key=lambda t: (-tf[t] * self.term_weight(t), t))
        return ranked[:most]


class OverlapIndex(_Postings):
    """The baseline: a document's score is the number of distinct query terms it contains."""

    def __init__(self, keys: Sequence[int], documents: Iterable[Sequence[str]]) -> None:
        super().__init__(keys, documents)
        self.ones = np.ones(len(self.rows), dtype=np.float32)

    def search(
        self, terms: Iterable[str], *, k: int, allowed: np.ndarray | None = None, exclude: int | None = None
    ) -> list[Hit]:
        return self._top(self._accumulate(terms, self.ones), allowed, exclude, k)


def idf_of(df: int, n: int) -> float:
    return math.log1p((n - df + 0.5) / (df + 0.5))
