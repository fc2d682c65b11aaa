"""The loss-risk pages through Django's test client: the warning list (levels, counts each linked to its list, a
query bound that does not grow with rows), a case's next steps, the model page's honesty and back-test, the
thresholds page, the dashboard's card, and the menu."""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from fuyuan.cases.choices import Instance
from fuyuan.cases.workflow import update_case
from fuyuan.risk.models import CaseRisk, RiskSettings
from fuyuan.risk.workflow import refresh_region
from tests.conftest import Clock
from tests.factories import World
from tests.risk.conftest import concluded_history, pending

pytestmark = pytest.mark.django_db
LIST_BOUND = 12


def _client(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world.users[persona])
    return client


@pytest.fixture
def trained(world: World, clock: Clock) -> World:
    concluded_history(world)
    for _ in range(2):
        pending(world, "都匀自然资源局")
    pending(world, "福泉公安局")
    refresh_region(world.regions["黔南州"])
    return world


def test_the_list_shows_levels_with_counts_each_linked_to_its_list(
    trained: World, django_assert_max_num_queries: Any
) -> None:
    client = _client(trained, "rol_pref")
    with django_assert_max_num_queries(LIST_BOUND):
        html = client.get(reverse("risk:list")).content.decode()
    assert html.count('data-testid="risk-row"') == 3
    assert re.search(r'data-testid="level-red">红色预警 <span class="badge text-bg-light">2<', html)
    assert "下一步处置" in html and "不是对法院裁判的预测" in html

    red = client.get(reverse("risk:list"), {"level": "red"}).content.decode()
    assert red.count('data-level="red"') == 2 and 'data-level="green"' not in red

    # more rows: the same number of queries
    for _ in range(6):
        pending(trained, "福泉公安局")
    refresh_region(trained.regions["黔南州"], force=True)
    with django_assert_max_num_queries(LIST_BOUND):
        assert client.get(reverse("risk:list")).content.decode().count('data-testid="risk-row"') == 9


def test_a_red_case_offers_the_platforms_next_steps_and_its_level_history(trained: World) -> None:
    risk = CaseRisk.objects.filter(level="red").first()
    assert risk is not None
    html = _client(trained, "agency_duyun").get(reverse("risk:case", args=[risk.case_id])).content.decode()
    assert reverse("consultation:send", args=[risk.case_id]) in html
    assert reverse("disputes:new") in html and reverse("packaging:new") in html
    assert "无 → 红色" in html and "推高风险" in html


def test_the_model_page_says_what_it_is_and_how_it_did(trained: World) -> None:
    html = _client(trained, "leader_pref").get(reverse("risk:model")).content.decode()
    assert "对法官裁判的预测" in html and "不使用" in html and "身份证号" in html
    assert "被告机关以往败诉情况" in html and "法院败诉风险提示及机关答复" in html and "案由：行政征收" in html
    assert 'data-testid="model-metrics"' in html and 'data-testid="baseline-metrics"' in html
    data = json.loads(re.search(r'<script id="reliability-data" type="application/json">(.*?)</script>', html).group(1))  # type: ignore[union-attr]
    assert data["bins"] and {"predicted", "observed", "cases"} <= set(data["bins"][0])
    assert "设置预警阈值" not in html  # a leader reads; the office sets


def test_the_prefectures_office_sets_thresholds_and_the_levels_follow(trained: World) -> None:
    client = _client(trained, "rol_pref")
    assert "设置预警阈值" in client.get(reverse("risk:model")).content.decode()

    bad = client.post(reverse("risk:settings"), {"red": "30", "orange": "40", "yellow": "20"})
    assert "黄色预警下限 &lt; 橙色预警下限 &lt; 红色预警下限" in bad.content.decode()
    assert not RiskSettings.objects.exists()

    done = client.post(reverse("risk:settings"), {"red": "99", "orange": "98", "yellow": "97"})
    assert done.status_code == 302
    assert not CaseRisk.objects.exclude(level="green").exists()

    assert _client(trained, "rol_duyun").get(reverse("risk:settings")).status_code == 403


def test_the_dashboard_counts_levels_as_the_list_does(trained: World) -> None:
    html = _client(trained, "rol_duyun").get(reverse("stats:dashboard")).content.decode()
    red = re.search(r'href="([^"]+)" data-testid="risk-level-red"><span class="fs-4 fw-semibold">(\d+)<', html)
    assert red is not None and red.group(2) == "2"
    listed = _client(trained, "rol_duyun").get(red.group(1).replace("&amp;", "&")).content.decode()
    assert listed.count('data-testid="risk-row"') == 2


def test_a_case_concluded_or_made_second_instance_leaves_the_list_and_the_card_before_the_next_training(
    trained: World,
) -> None:
    # given the two red cases of 都匀 on the list
    office = trained.users["rol_duyun"]
    first, second = (r.case for r in CaseRisk.objects.filter(level="red").select_related("case").order_by("case_id"))
    # when one is concluded and the other is entered as a second-instance case, with no training in between
    update_case(first, {"concluded_on": datetime.date(2026, 12, 1), "outcome": "claim_dismissed"}, by=office)
    update_case(second, {"instance": Instance.SECOND}, by=office)
    # then neither is listed or counted any more: the list is of pending first-instance cases
    client = _client(trained, "rol_duyun")
    assert client.get(reverse("risk:list")).content.decode().count('data-testid="risk-row"') == 0
    html = client.get(reverse("stats:dashboard")).content.decode()
    assert re.search(r'data-testid="risk-level-red"><span class="fs-4 fw-semibold">0<', html)


def test_the_menu_offers_the_warning_list_to_its_roles(trained: World) -> None:
    assert "败诉风险预警" in _client(trained, "agency_duyun").get(reverse("risk:list")).content.decode()
    # the court's liaison has 类案检索 in the same menu, not the warning list
    html = _client(trained, "court_duyun").get(reverse("home"), follow=True).content.decode()
    assert 'data-testid="nav-insight"' in html and reverse("risk:list") not in html
