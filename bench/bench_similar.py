"""类案检索: retrieval quality on a labelled set, and speed over a million summaries, against a plain baseline.

    .venv/bin/python bench/bench_similar.py [--eval-cases 5000] [--cases 1000000] [--queries 200]

1. Quality. A corpus of ``--eval-cases`` case summaries is generated with a fixed seed (``fuyuan.demo.summaries``:
   templated by 案由 and 领域 with varied facts; each case labelled with its 案由 and the thing in dispute). The
   labelled queries of ``bench/similar_queries.json`` are hand-written descriptions, worded unlike the templates;
   the cases that should match a query are those with its 案由 and thing in dispute. Printed side by side,
   precision at 5 and at 10 (macro-averaged) for:
   - the choice: jieba (search mode, legal dictionary) + BM25 with Lucene's idf, 案由/领域 marks (``similar``);
   - the baseline: character bigrams, scored by the number of distinct bigrams shared;
   - and, to tell the parts apart: the choice without its thesaurus of everyday words (``segment.SYNONYMS``,
     written after reading this set's misses, so the set flatters it), words and bigrams together, and
     character bigrams with the same BM25.
2. Speed. ``--cases`` summaries (the same generator over 9 counties × 11 agencies), the index built for the choice and
   for the baseline in the same run: build time, the index arrays' size and the process's peak memory, then
   ``--queries`` similar-case queries (a case's 40 most telling terms plus its marks, as the case page asks) and as
   many free-text queries, median and p95 in milliseconds, for each.

   Segmentation of a million summaries with jieba takes about a millisecond each (measured and printed on a sample);
   jieba cuts a text into blocks at punctuation and segments each block alone, so the bench segments each distinct
   clause once (cut at punctuation and digits) and joins the clauses' terms — the same terms as segmenting each
   summary whole but at the edges of numbers — and prints the
   projected time of segmenting every summary (what a first index build of a real region costs, once).

No database: the ranking is measured as the product runs it (``fuyuan.similar.engine``); the database only stores
each case's terms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fuyuan.settings")

import django  # noqa: E402

django.setup()

from fuyuan.cases.choices import ActType, Domain  # noqa: E402
from fuyuan.demo.summaries import SummaryWriter  # noqa: E402
from fuyuan.similar import segment  # noqa: E402
from fuyuan.similar.engine import Bm25Index, OverlapIndex  # noqa: E402
from fuyuan.similar.texts import marks, text_marks  # noqa: E402

QUERIES = Path(__file__).with_name("similar_queries.json")
COUNTIES = ["都匀市", "福泉市", "荔波县", "贵定县", "瓮安县", "独山县", "平塘县", "罗甸县", "长顺县"]
AGENCIES: dict[str, tuple[str, list[str]]] = {
    Domain.LAND_EXPROPRIATION: ("人民政府", ["coercion", "levy", "agreement", "information", "compensation", "indemnity"]),
    Domain.NATURAL_RESOURCES: ("自然资源局", ["penalty", "coercion", "registration", "nonperformance", "information", "licensing"]),
    Domain.PUBLIC_SECURITY: ("公安局", ["penalty", "coercion", "nonperformance", "information"]),
    Domain.MARKET: ("市场监督管理局", ["penalty", "licensing", "nonperformance", "registration"]),
    Domain.LABOUR: ("人力资源和社会保障局", ["confirmation", "nonperformance", "penalty"]),
    Domain.HOUSING: ("住房和城乡建设局", ["coercion", "penalty", "licensing"]),
    Domain.ENVIRONMENT: ("生态环境局", ["penalty", "nonperformance", "licensing"]),
    Domain.FORESTRY: ("林业局", ["penalty", "licensing", "registration"]),
    Domain.TRANSPORT: ("交通运输局", ["penalty", "coercion", "licensing"]),
    Domain.EDUCATION: ("教育局", ["licensing", "confirmation"]),
    Domain.HEALTH: ("卫生健康局", ["penalty", "licensing"]),
}  # fmt: skip
DOMAIN_WEIGHTS = [2.0, 1.8, 1.6, 1.0, 1.2, 1.1, 0.6, 0.6, 0.7, 0.3, 0.4]
CASE_QUERY_TERMS = 40


def corpus(n: int, seed: int) -> tuple[list[str], list[list[str]], list[tuple[str, str]]]:
    """n summaries, each case's marks (案由, 领域, agency) and its label (案由, thing in dispute)."""
    rng = random.Random(seed)
    writer = SummaryWriter(seed)
    domains = list(AGENCIES)
    agency_ids = {(c, d): i for i, (c, d) in enumerate((c, d) for c in COUNTIES for d in domains)}
    texts, case_marks, labels = [], [], []
    for _ in range(n):
        domain = rng.choices(domains, weights=DOMAIN_WEIGHTS)[0]
        county = rng.choice(COUNTIES)
        suffix, causes = AGENCIES[domain]
        cause = rng.choice(causes)
        agency = county + suffix
        text, matter = writer.compose(cause, domain, agency)
        texts.append(f"{text}\n{ActType(cause).label}\n{Domain(domain).label}\n{agency}")
        case_marks.append(marks(cause, domain, agency_ids[(county, domain)]))
        labels.append((cause, matter))
    return texts, case_marks, labels


_BLOCK = re.compile(r"([\u4e00-\u9fffA-Za-z]+)")


@lru_cache(maxsize=500_000)
def _clause_terms(clause: str) -> tuple[str, ...]:
    return tuple(segment.terms(clause))


def fast_terms(text: str) -> list[str]:
    """``segment.terms`` of the text, segmenting each distinct clause once (jieba segments block by block; the
    clauses here are also cut at digits, which ``terms`` drops, so amounts do not make every clause new)."""
    out: list[str] = []
    for clause in _BLOCK.findall(text):
        out.extend(_clause_terms(clause))
    return out


def precision(found: Sequence[int], relevant: set[int], k: int) -> float:
    return sum(1 for key in found[:k] if key in relevant) / k


def evaluate(n: int) -> None:
    texts, case_marks, labels = corpus(n, seed=18)
    queries = json.loads(QUERIES.read_text())["queries"]
    keys = list(range(n))
    words = [segment.terms(t) + m for t, m in zip(texts, case_marks, strict=True)]
    grams = [segment.bigrams(t) for t in texts]
    systems: dict[str, tuple[Callable[[str], list[int]], str]] = {}
    choice = Bm25Index(keys, words)
    systems["jieba + BM25（选用）"] = (
        lambda q: [h.key for h in choice.search(segment.terms(q) + text_marks(q), k=10)],
        "jieba 搜索模式 + 法律词典 + BM25",
    )
    plain = Bm25Index(keys, [segment.terms(t, expand=False) + m for t, m in zip(texts, case_marks, strict=True)])
    systems["jieba + BM25，无口语词表"] = (
        lambda q: [h.key for h in plain.search(segment.terms(q, expand=False) + text_marks(q), k=10)],
        "",
    )
    hybrid = Bm25Index(keys, [w + g for w, g in zip(words, grams, strict=True)])
    systems["jieba + 字二元组 + BM25"] = (
        lambda q: [h.key for h in hybrid.search(segment.terms(q) + text_marks(q) + segment.bigrams(q), k=10)],
        "",
    )
    overlap = OverlapIndex(keys, grams)
    systems["字二元组重合（基线）"] = (lambda q: [h.key for h in overlap.search(segment.bigrams(q), k=10)], "")
    gram_bm25 = Bm25Index(keys, grams)
    systems["字二元组 + BM25"] = (lambda q: [h.key for h in gram_bm25.search(segment.bigrams(q), k=10)], "")
    print(f"检索质量：语料 {n} 件，标注查询 {len(queries)} 条（{QUERIES.name}）")
    print(f"{'方法':<22}{'P@5':>8}{'P@10':>8}")
    for name, (run, _about) in systems.items():
        p5, p10 = [], []
        for q in queries:
            relevant = {i for i, label in enumerate(labels) if label == (q["cause"], q["matter"])}
            assert relevant, q
            found = run(q["text"])
            p5.append(precision(found, relevant, 5))
            p10.append(precision(found, relevant, 10))
        print(f"{name:<22}{statistics.mean(p5):>8.3f}{statistics.mean(p10):>8.3f}")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) * 1000


def speed(n: int, queries: int) -> None:
    print(f"\n速度：{n} 件案情摘要（本机 2 核，与其他工作同时运行，数值偏保守）")
    started = time.perf_counter()
    texts, case_marks, _labels = corpus(n, seed=7)
    print(f"生成摘要 {time.perf_counter() - started:.1f} s")
    sample = texts[:2000]
    started = time.perf_counter()
    for t in sample:
        segment.terms(t)
    per_doc = (time.perf_counter() - started) / len(sample)
    print(
        f"jieba 逐篇分词实测 {per_doc * 1000:.2f} ms/篇 → 全部 {n} 篇逐篇分词预计 {per_doc * n / 60:.1f} 分钟（首次建索引时一次性）"
    )

    keys = list(range(n))
    before = peak_mb()
    started = time.perf_counter()
    choice = Bm25Index(keys, (fast_terms(t) + m for t, m in zip(texts, case_marks, strict=True)))
    build_choice = time.perf_counter() - started
    size_choice = (choice.rows.nbytes + choice.weights.nbytes + choice.counts.nbytes + choice.starts.nbytes) / 2**20
    print(
        f"jieba + BM25 分词（按分句缓存）并建索引 {build_choice:.1f} s，索引数组 {size_choice:.0f} MB，进程峰值内存 {peak_mb():.0f} MB（建前 {before:.0f} MB）"
    )
    started = time.perf_counter()
    baseline = OverlapIndex(keys, (segment.bigrams(t) for t in texts))
    build_base = time.perf_counter() - started
    size_base = (baseline.rows.nbytes + baseline.ones.nbytes + baseline.counts.nbytes + baseline.starts.nbytes) / 2**20
    print(f"字二元组重合 切分并建索引 {build_base:.1f} s，索引数组 {size_base:.0f} MB，进程峰值内存 {peak_mb():.0f} MB")

    rng = random.Random(3)
    asked = [rng.randrange(n) for _ in range(queries)]
    free = [q["text"] for q in json.loads(QUERIES.read_text())["queries"]]
    free_texts = [free[i % len(free)] for i in range(queries)]

    def case_query(i: int) -> list[str]:
        own = fast_terms(texts[i])
        return choice.salient(own, CASE_QUERY_TERMS) + case_marks[i]

    rows = {
        "类案（按案件）jieba + BM25": [timed(lambda i=i: choice.search(case_query(i), k=10, exclude=i)) for i in asked],
        "类案（按案件）字二元组重合": [
            timed(lambda i=i: baseline.search(segment.bigrams(texts[i]), k=10, exclude=i)) for i in asked
        ],
        "自由文字 jieba + BM25": [
            timed(lambda q=q: choice.search(segment.terms(q) + text_marks(q), k=10)) for q in free_texts
        ],
        "自由文字 字二元组重合": [timed(lambda q=q: baseline.search(segment.bigrams(q), k=10)) for q in free_texts],
    }
    print(f"{'查询（每种 ' + str(queries) + ' 次）':<26}{'中位数 ms':>10}{'p95 ms':>10}")
    for name, times in rows.items():
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        print(f"{name:<26}{statistics.median(times):>10.1f}{p95:>10.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-cases", type=int, default=5000)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    if args.eval_cases:
        evaluate(args.eval_cases)
    if args.cases:
        speed(args.cases, args.queries)


if __name__ == "__main__":
    main()
