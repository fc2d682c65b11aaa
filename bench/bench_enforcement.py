"""The two enforcement indicators of the yearly assessment (issue 17 item 4) against hand-written SQL.

    .venv/bin/python bench/bench_enforcement.py [--officers 20000] [--decisions 20000] [--reset]

Fills ``--officers`` officers over 200 bodies (a province's worth) below the ORM (``core.bulk.insert_rows``), each with
one to three certificates (renewals revoke the one before; one in twelve lapsed; one in twenty officers has left), and
``--decisions`` major decisions over 2020-2026 (one in ten without a review before it, one in eight filed late or not
at all). Then it times, best of three each, ``indicators.certificate_coverage(2025)`` and
``indicators.major_decisions_in_order(2025)`` against one hand-written statement each, checks that both give the same
numbers, and prints each time and **ORM / SQL, goal ≤ 2**.
"""

from __future__ import annotations

import argparse
import datetime
import random
from typing import Any

from _setup import best_of, start_django

YEAR = 2025
BODIES = 200

COVERAGE_SQL = """
SELECT b.organisation_id, COUNT(*) FILTER (WHERE EXISTS (
         SELECT 1 FROM enforcement_certificate c WHERE c.officer_id = o.id AND c.issued_on <= %(day)s
         AND c.valid_to >= %(day)s AND (c.revoked_on IS NULL OR c.revoked_on > %(day)s))), COUNT(*)
FROM enforcement_officer o JOIN enforcement_enforcementbody b ON b.id = o.body_id
WHERE o.joined_on <= %(day)s AND (o.left_on IS NULL OR o.left_on > %(day)s)
GROUP BY b.organisation_id
"""
COVERAGE_SQLITE = """
SELECT b.organisation_id, SUM(CASE WHEN EXISTS (
         SELECT 1 FROM enforcement_certificate c WHERE c.officer_id = o.id AND c.issued_on <= %(day)s
         AND c.valid_to >= %(day)s AND (c.revoked_on IS NULL OR c.revoked_on > %(day)s)) THEN 1 ELSE 0 END), COUNT(*)
FROM enforcement_officer o JOIN enforcement_enforcementbody b ON b.id = o.body_id
WHERE o.joined_on <= %(day)s AND (o.left_on IS NULL OR o.left_on > %(day)s)
GROUP BY b.organisation_id
"""
DECISIONS_SQL = """
SELECT b.organisation_id, SUM(CASE WHEN d.reviewed_on IS NOT NULL AND d.reviewed_on <= d.decided_on
         AND d.review_conclusion <> 'refused' AND d.filed_on IS NOT NULL AND d.filed_on <= d.filing_due_on THEN 1 ELSE 0 END), COUNT(*)
FROM enforcement_majordecision d JOIN enforcement_enforcementbody b ON b.id = d.body_id
WHERE d.decided_on >= %(first)s AND d.decided_on <= %(last)s
GROUP BY b.organisation_id
"""


def fill(officers: int, decisions: int, seed: int = 1) -> None:
    from django.db import transaction
    from django.utils import timezone

    from fuyuan.core.bulk import insert_rows
    from fuyuan.core.models import Organisation, Region, RegionLevel, User
    from fuyuan.enforcement.models import Certificate, EnforcementBody, MajorDecision, Officer

    rng = random.Random(seed)
    now = timezone.now()
    with transaction.atomic():
        province = Region.objects.create(name="执法基准省", level=RegionLevel.PROVINCE)
        orgs = Organisation.objects.bulk_create(
            [Organisation(name=f"执法基准单位{i}", region=province) for i in range(BODIES)]
        )
        bodies = EnforcementBody.objects.bulk_create(
            [EnforcementBody(organisation=o, legal_basis="法", scope="罚") for o in orgs]
        )
        staff = User.objects.create(username="bench_staff", role="agency_liaison", organisation=orgs[0])
        rows, certs = [], []
        for n in range(officers):
            joined = datetime.date(2015, 1, 1) + datetime.timedelta(days=rng.randint(0, 4000))
            left = joined + datetime.timedelta(days=rng.randint(200, 3000)) if rng.random() < 0.05 else None
            rows.append([rng.choice(bodies).pk, f"人员{n}", joined, left, now])
        insert_rows(Officer, ["body_id", "name", "joined_on", "left_on", "created_at"], rows)
        ids = list(Officer.objects.order_by("pk").values_list("pk", "joined_on"))
        for pk, joined in ids:
            issued = joined
            for k in range(rng.randint(1, 3)):
                valid_to = issued + datetime.timedelta(days=6 * 365 if rng.random() > 1 / 12 else 2 * 365)
                following = valid_to - datetime.timedelta(days=rng.randint(0, 60))
                last = k == 2 or following > datetime.date(2026, 11, 30)
                revoked = None if last else following
                certs.append([pk, f"N{pk:07d}{k}", "enforcement", issued, valid_to, issued, revoked])
                if last:
                    break
                issued = following
        insert_rows(Certificate, ["officer_id", "number", "kind", "issued_on", "valid_to", "review_due_on",
                                  "revoked_on"], certs)  # fmt: skip
        made = []
        for n in range(decisions):
            decided = datetime.date(2020, 1, 1) + datetime.timedelta(days=rng.randint(0, 2500))
            reviewed = None if rng.random() < 0.1 else decided - datetime.timedelta(days=rng.randint(-3, 10))
            due = decided + datetime.timedelta(days=15)
            filed = None if rng.random() < 0.03 else decided + datetime.timedelta(days=rng.randint(1, 18))
            made.append([rng.choice(bodies).pk, f"决定{n}", "penalty", "complex", staff.pk,
                         staff.pk if reviewed else None, ("refused" if rng.random() < 0.02 else "agreed") if reviewed else "", reviewed, decided, due, filed, now])  # fmt: skip
        insert_rows(MajorDecision, ["body_id", "title", "kind", "ground", "registered_by_id", "reviewer_id",
                                    "review_conclusion", "reviewed_on", "decided_on", "filing_due_on", "filed_on", "created_at"],
                    made)  # fmt: skip


def raw(sql: str, params: dict[str, Any]) -> dict[int, tuple[int, int]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {org: (int(ok), int(total)) for org, ok, total in cursor.fetchall()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--officers", type=int, default=20000)
    parser.add_argument("--decisions", type=int, default=20000)
    parser.add_argument("--reset", action="store_true")
    args = parser.parse_args()
    database = start_django(reset=args.reset)
    from django.db import connection

    from fuyuan.enforcement.indicators import certificate_coverage, major_decisions_in_order

    fill(args.officers, args.decisions)
    print(f"数据库：{database}；执法人员 {args.officers} 人，重大执法决定 {args.decisions} 件，{BODIES} 个执法主体")
    day = datetime.date(YEAR, 12, 31)
    coverage_sql = COVERAGE_SQL if connection.vendor == "postgresql" else COVERAGE_SQLITE
    cases = [
        ("执法证持证率", lambda: certificate_coverage(YEAR), lambda: raw(coverage_sql, {"day": day})),
        ("重大执法决定合规率", lambda: major_decisions_in_order(YEAR),
         lambda: raw(DECISIONS_SQL, {"first": datetime.date(YEAR, 1, 1), "last": day})),
    ]  # fmt: skip
    for name, orm, sql in cases:
        assert orm() == sql(), f"{name}：ORM 与 SQL 结果不一致"
        t_orm, t_sql = best_of(3, orm), best_of(3, sql)
        print(
            f"{name}：ORM {t_orm * 1000:.1f} ms，SQL {t_sql * 1000:.1f} ms，ORM / SQL = {t_orm / t_sql:.2f}（目标 ≤ 2）"
        )


if __name__ == "__main__":
    main()
