"""The loss-risk model: learnt from a region's own concluded first-instance cases, calibrated, back-tested on a
time split, and explained case by case. No database here beyond ``features.load_region``'s reads.

The model is scikit-learn's ``LogisticRegression`` over the columns of ``features.FEATURES`` (one-hot 领域, 案由,
court, and the agency's record as of the day), with Platt scaling fitted on out-of-fold scores (the calibration
``CalibratedClassifierCV(method="sigmoid")`` does, kept as one slope and intercept so that the score stays one
linear model whose parts can be shown). A score's reasons are the columns that move its log-odds most away from
the average case (``coef × (value − mean)``, times the calibration slope).

It ranks pending cases for attention from past outcomes; it does not predict what a judge will decide.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from fuyuan.risk.features import FEATURES, PRIOR_CASES, Facts, Feature, RegionRecords, columns_of

# scikit-learn (with SciPy) takes about a second of CPU to import, and every process imports this module (the risk
# app registers its sweep step at start): it is imported where a model is learnt or measured, by the worker and the
# risk pages, not by every command, test process and web server at start.
if TYPE_CHECKING:
    from sklearn.feature_extraction import DictVectorizer


@dataclass(frozen=True)
class MinimumHistory:
    """The least a region must have concluded before the day for the model to score anything: below it the page and
    the command say that the history is too short instead of guessing."""

    cases: int = 30
    losses: int = 5
    others: int = 5

    def shortfall(self, cases: int, losses: int) -> str:
        """Empty when enough, else the reason in Chinese."""
        if cases >= self.cases and losses >= self.losses and cases - losses >= self.others:
            return ""
        return (
            f"此前一审结案仅{cases}件（败诉{losses}件），少于模型所需的至少{self.cases}件"
            f"（其中败诉与未败诉各至少{self.losses}件），历史数据不足，不作评分"
        )


MIN_HISTORY = MinimumHistory()
# The back-test's time split: the latest quarter of the concluded cases (by 结案日期) is held out.
TEST_SHARE = 0.25
RELIABILITY_BINS = 10
MAX_REASONS = 3


def _matrix(vectorizer: DictVectorizer, rows: Sequence[dict[str, float]], *, fit: bool = False) -> Any:
    """The rows as a sparse matrix with 32-bit indices (liblinear refuses DictVectorizer's 64-bit ones)."""
    x = (vectorizer.fit_transform(rows) if fit else vectorizer.transform(rows)).tocsr()
    x.indices = x.indices.astype(np.int32)
    x.indptr = x.indptr.astype(np.int32)
    return x


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


@dataclass
class Trained:
    features: list[Feature]
    vectorizer: DictVectorizer
    coef: np.ndarray
    intercept: float
    slope: float
    offset: float
    means: np.ndarray
    cases: int
    losses: int

    def scores(self, rows: Sequence[dict[str, float]]) -> np.ndarray:
        x = _matrix(self.vectorizer, rows)
        return _sigmoid(self.slope * (x @ self.coef + self.intercept) + self.offset)

    def explain(self, row: dict[str, float], texts: dict[str, str]) -> list[str]:
        """The main reasons of one score, in Chinese: the columns pushing it up most, then the one pulling it down
        most (the three pulling it down most when nothing pushes it up)."""
        vocabulary = self.vectorizer.vocabulary_
        parts: list[tuple[float, str]] = []
        for column, text in texts.items():
            j = vocabulary.get(column)
            if j is None:
                continue
            value = row.get(column, 0.0)
            parts.append((self.slope * self.coef[j] * (value - self.means[j]), text))
        up = sorted((p for p in parts if p[0] > 0.05), key=lambda p: -p[0])[:MAX_REASONS]
        down = sorted((p for p in parts if p[0] < -0.05), key=lambda p: p[0])[: 1 if up else MAX_REASONS]
        reasons = [f"{text}（推高风险）" for _, text in up]
        reasons += [f"{text}（降低风险）" for _, text in down]
        return reasons or ["各项特征与地区以往案件的平均情况相近"]

    def weights(self) -> list[tuple[str, float]]:
        """Each column's weight on the log-odds, largest first (the model page)."""
        names = self.vectorizer.get_feature_names_out()
        return sorted(
            ((str(n), float(self.slope * w)) for n, w in zip(names, self.coef, strict=True)), key=lambda p: -abs(p[1])
        )


def _rows(
    records: RegionRecords, cases: Sequence[Facts], days: Sequence[datetime.date], features: Sequence[Feature]
) -> tuple[list[dict[str, float]], list[dict[str, str]]]:
    rows, texts = [], []
    for c, day in zip(cases, days, strict=True):
        cols = columns_of(c, day, records.history, records.names, features)
        rows.append({name: value for name, value, _ in cols})
        texts.append({name: text for name, _, text in cols})
    return rows, texts


def learn(records: RegionRecords, cases: Sequence[Facts], features: Sequence[Feature] = FEATURES) -> Trained:
    """Fit on concluded cases, each seen on the day it concluded (its record by then; its agency's before then)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    days = [c.concluded_on for c in cases]
    rows, _ = _rows(records, cases, days, features)  # type: ignore[arg-type]
    y = np.array([c.lost for c in cases], dtype=int)
    vectorizer = DictVectorizer(sparse=True)
    x = _matrix(vectorizer, rows, fit=True)
    lr = LogisticRegression(C=1.0, solver="liblinear", max_iter=1000)
    minority = int(min(y.sum(), len(y) - y.sum()))
    folds = max(2, min(3, minority))
    oof = cross_val_predict(
        lr, x, y, cv=StratifiedKFold(folds, shuffle=True, random_state=0), method="decision_function"
    )
    platt = LogisticRegression(C=1e6, solver="liblinear", max_iter=1000).fit(oof.reshape(-1, 1), y)
    lr.fit(x, y)
    return Trained(
        features=list(features),
        vectorizer=vectorizer,
        coef=lr.coef_[0],
        intercept=float(lr.intercept_[0]),
        slope=float(platt.coef_[0][0]),
        offset=float(platt.intercept_[0]),
        means=np.asarray(x.mean(axis=0)).ravel(),
        cases=len(cases),
        losses=int(y.sum()),
    )


def baseline_scores(records: RegionRecords, cases: Sequence[Facts], days: Sequence[datetime.date]) -> np.ndarray:
    """The plain baseline: each agency's past loss rate as of the day (pulled to the region's rate like the model's
    own column, so that an agency without record gets the region's rate)."""
    out = []
    for c, day in zip(cases, days, strict=True):
        n, lost = records.history.agency_record(c.defendant_id, day)
        region_n, region_lost = records.history.region_record(day)
        prior = (region_lost + 1) / (region_n + 2)
        out.append((lost + PRIOR_CASES * prior) / (n + PRIOR_CASES))
    return np.array(out)


@dataclass
class Metrics:
    auc: float | None
    brier: float | None

    @classmethod
    def of(cls, y: np.ndarray, p: np.ndarray) -> Metrics:
        from sklearn.metrics import brier_score_loss, roc_auc_score

        if len(y) == 0:
            return cls(None, None)
        brier = round(float(brier_score_loss(y, p)), 4)
        auc = round(float(roc_auc_score(y, p)), 4) if 0 < y.sum() < len(y) else None
        return cls(auc, brier)


@dataclass
class Backtest:
    """The model learnt on the earlier cases, measured on the later ones (concluded after the training window)."""

    cases: int = 0
    train_cases: int = 0
    train_until: datetime.date | None = None
    model: Metrics = field(default_factory=lambda: Metrics(None, None))
    baseline: Metrics = field(default_factory=lambda: Metrics(None, None))
    reliability: list[dict[str, float]] = field(default_factory=list)
    note: str = ""

    def as_json(self) -> dict[str, object]:
        return {"cases": self.cases, "auc": self.model.auc, "brier": self.model.brier}


def _reliability(y: np.ndarray, p: np.ndarray) -> list[dict[str, float]]:
    bins = []
    for k in range(RELIABILITY_BINS):
        low, high = k / RELIABILITY_BINS, (k + 1) / RELIABILITY_BINS
        mask = (p >= low) & ((p < high) if k < RELIABILITY_BINS - 1 else (p <= high))
        if mask.any():
            bins.append({"predicted": round(float(p[mask].mean()), 4), "observed": round(float(y[mask].mean()), 4),
                         "cases": int(mask.sum())})  # fmt: skip
    return bins


def backtest(records: RegionRecords, concluded: Sequence[Facts], features: Sequence[Feature] = FEATURES) -> Backtest:
    """Split ``concluded`` (all before the as-of day) by 结案日期: learn on the earlier three quarters, measure on the
    cases concluded after the last training day. Nulls where the training window is below ``MIN_HISTORY`` or the
    test has one class only (no AUC)."""
    ordered = sorted(concluded, key=lambda c: (c.concluded_on, c.pk))
    if len(ordered) < 2:
        return Backtest(note="已结案件不足，无法回测")
    cut = ordered[int(len(ordered) * (1 - TEST_SHARE))].concluded_on
    train = [c for c in ordered if c.concluded_on < cut]  # type: ignore[operator]
    test = [c for c in ordered if c.concluded_on >= cut]  # type: ignore[operator]
    losses = sum(c.lost for c in train)
    short = MIN_HISTORY.shortfall(len(train), losses)
    if short or not test:
        return Backtest(cases=0, train_cases=len(train), train_until=cut, note=short or "回测期内没有已结案件")
    trained = learn(records, train, features)
    days = [c.concluded_on for c in test]
    rows, _ = _rows(records, test, days, features)  # type: ignore[arg-type]
    y = np.array([c.lost for c in test], dtype=int)
    p = trained.scores(rows)
    base = baseline_scores(records, test, days)  # type: ignore[arg-type]
    return Backtest(
        cases=len(test),
        train_cases=len(train),
        train_until=cut,
        model=Metrics.of(y, p),
        baseline=Metrics.of(y, base),
        reliability=_reliability(y, p),
    )


@dataclass
class Scored:
    facts: Facts
    score: float
    reasons: list[str]


@dataclass
class Assessment:
    """Everything ``fuyuan risk`` and the sweep say for one region and day."""

    as_of: datetime.date
    pending: list[Facts]
    concluded: int
    losses: int
    shortfall: str
    trained: Trained | None
    scored: list[Scored]
    backtest: Backtest


def assess(
    records: RegionRecords, as_of: datetime.date, features: Sequence[Feature] = FEATURES, *, with_backtest: bool = True
) -> Assessment:
    """Score every first-instance case pending on ``as_of`` by a model learnt only from cases concluded before it,
    highest first; nothing is scored when the history is below ``MIN_HISTORY``."""
    concluded = [c for c in records.cases if c.concluded_on is not None and c.concluded_on < as_of]
    pending = [c for c in records.cases if c.pending_on(as_of)]
    losses = sum(c.lost for c in concluded)
    short = MIN_HISTORY.shortfall(len(concluded), losses)
    test = backtest(records, concluded, features) if with_backtest and not short else Backtest(note=short)
    if short:
        return Assessment(as_of, pending, len(concluded), losses, short, None, [], test)
    trained = learn(records, concluded, features)
    rows, texts = _rows(records, pending, [as_of] * len(pending), features)
    scores = trained.scores(rows) if pending else np.array([])
    scored = [
        Scored(c, round(float(s), 4), trained.explain(row, text))
        for c, s, row, text in zip(pending, scores, rows, texts, strict=True)
    ]
    scored.sort(key=lambda s: (-s.score, s.facts.filed_on, s.facts.number))
    return Assessment(as_of, pending, len(concluded), losses, "", trained, scored, test)
