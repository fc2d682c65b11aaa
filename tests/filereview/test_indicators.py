"""``file_review_score`` for the assessment, against a hand count, and its drill-down listing exactly those files."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from fuyuan.filereview import workflow as wf
from fuyuan.filereview.indicators import file_review_score
from fuyuan.filereview.models import ReviewMode
from tests.factories import World
from tests.filereview.conftest import file_of, item, plan_of, score, sheet_of, veto

pytestmark = pytest.mark.django_db


def numbers_listed(html: str) -> set[str]:
    return set(re.findall(r"data-testid=\"file-row\">\s*<td><a[^>]*>([^<]+)</a>", html))


def test_file_review_score_equals_the_hand_count_and_its_drill_down(people: World) -> None:
    plan = plan_of(people)
    sheet = plan.sheet
    # 都匀市自然资源局: 100 + 90 + vetoed (0) = 190 over 3 files; 福泉市公安局: 85 over 1 (its second unscored)
    score(people, file_of(people, plan, "都1"))
    score(people, file_of(people, plan, "都2"), deductions={item(sheet, "立案、调查取证不规范").pk: 10})
    score(people, file_of(people, plan, "都3"), vetoes=[veto(sheet)])
    score(people, file_of(people, plan, "福1", body="福泉公安局"), deductions={item(sheet, "送达、执行不规范").pk: 10,
          item(sheet, "归档不及时").pk: 5})  # fmt: skip
    file_of(people, plan, "福2", body="福泉公安局")
    # another year's plan does not count in 2026
    old_sheet = wf.copy_sheet(sheet, year=2025, by=people.users["zfjd_pref"])
    old = wf.create_plan(year=2025, name="上年评查", mode=ReviewMode.SELF_CHECK, sheet=old_sheet,
                         bodies={people.orgs["都匀自然资源局"]: 1}, reviewers=[people.users["tyjd"]],
                         by=people.users["zfjd_pref"])  # fmt: skip
    score(people, file_of(people, old, "都旧1"))
    duyun, fuquan = people.orgs["都匀自然资源局"].pk, people.orgs["福泉公安局"].pk

    assert file_review_score(2026) == {duyun: (190.0, 3), fuquan: (85.0, 1)}
    assert file_review_score(2025) == {duyun: (100.0, 1)}
    assert file_review_score(2024) == {}

    client = Client()
    client.force_login(people.users["rol_pref"])
    page = client.get(reverse("filereview:files"), {"organisation": duyun, "year": 2026}).content.decode()
    assert numbers_listed(page) == {"都1", "都2", "都3"}
    page = client.get(reverse("filereview:files"), {"organisation": fuquan, "year": 2026}).content.decode()
    assert numbers_listed(page) == {"福1"}
    # the results page's figures for the body open the same files
    results = client.get(reverse("filereview:results"), {"year": 2026}).content.decode()
    assert f'?organisation={duyun}&year=2026">3</a>' in results
    assert Decimal("63.3") == round(Decimal(190) / 3, 1) and ">63.3<" in results


def test_file_review_score_is_one_query(people: World, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    plan = plan_of(people, sheet_of(people))
    score(people, file_of(people, plan, "都1"))
    with django_assert_num_queries(1):
        file_review_score(2026)
