"""Links between cases and the decisions or reviewed documents they are about (issue 16 item 4): made by one workflow
function with its Event on both timelines, from the case page and from the decision's page, shown both ways and
only to those who see both sides; the dashboard's card and the 争议来源 figures equal the lists behind them; the loss
review points back to the decision."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from fuyuan.accountability.models import LossReview
from fuyuan.cases.choices import CaseKind, LitigationOutcome, ReconsiderationOutcome
from fuyuan.cases.models import Case
from fuyuan.core.timeline import timeline
from fuyuan.decisions import workflow as wf
from fuyuan.decisions.models import CaseLink, Decision
from fuyuan.stats.cache import raise_generation
from tests.decisions.conftest import D
from tests.factories import PASSWORD, World, make_case
from tests.legalreview.conftest import add_reviewers, submitted


def client_of(username: str) -> Client:
    client = Client()
    client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def cases(world: World) -> dict[str, Case]:
    """A lost suit and a pending one against the 都匀 agency, a corrected reconsideration, and a 福泉 suit that the
    都匀 users may not see."""
    duyun = world.orgs["都匀自然资源局"]
    return {
        "lost": make_case(
            defendant=duyun,
            court=world.orgs["都匀法院"],
            concluded_on=D(2026, 11, 20),
            outcome=LitigationOutcome.REVOKED,
        ),
        "pending": make_case(defendant=duyun, court=world.orgs["都匀法院"]),
        "corrected": make_case(
            CaseKind.RECONSIDERATION,
            defendant=duyun,
            reconsideration_body=world.orgs["都匀司法局"],
            concluded_on=D(2026, 11, 1),
            outcome=ReconsiderationOutcome.REVOKED,
        ),
        "fuquan": make_case(defendant=world.orgs["福泉公安局"], court=world.orgs["福泉法院"]),
    }


def test_a_link_writes_its_event_on_both_timelines_and_shows_both_ways(
    world: World, decision: Decision, cases: dict[str, Case]
) -> None:
    office = world.users["rol_duyun"]

    link = wf.link_case(cases["lost"], decision=decision, note="诉停车收费标准", by=office)

    assert link.source == decision
    assert "关联一项重大行政决策" in [e.summary for e in timeline(cases["lost"])]
    assert "关联一件行政诉讼案件" in [e.summary for e in timeline(decision)]
    case_page = client_of("rol_duyun").get(reverse("cases:detail", args=[cases["lost"].pk])).content.decode()
    assert 'data-testid="case-source"' in case_page and decision.title in case_page
    decision_page = client_of("agency_duyun").get(reverse("decisions:detail", args=[decision.pk])).content.decode()
    assert cases["lost"].number in decision_page and "诉停车收费标准" in decision_page
    with pytest.raises(wf.DecisionError, match="已经关联"):
        wf.link_case(cases["lost"], decision=decision, by=office)


def test_a_link_is_made_from_the_case_page_and_from_the_decision_page(
    world: World, decision: Decision, cases: dict[str, Case]
) -> None:
    client = client_of("rol_duyun")
    case_url = reverse("cases:detail", args=[cases["lost"].pk])
    page = client.get(case_url).content.decode()
    assert 'data-testid="case-link-form"' in page and f'value="d{decision.pk}"' in page

    client.post(reverse("decisions:link"), {"case": cases["lost"].pk, "source": f"d{decision.pk}", "next": case_url})
    client.post(
        reverse("decisions:link"),
        {"number": cases["pending"].number, "source": f"d{decision.pk}", "next": "/decisions/"},
    )

    assert set(CaseLink.objects.values_list("case_id", flat=True)) == {cases["lost"].pk, cases["pending"].pk}


def test_a_county_user_can_neither_link_nor_see_a_link_to_a_case_they_cannot_see(
    world: World, decision: Decision, cases: dict[str, Case]
) -> None:
    fuquan = cases["fuquan"]
    county = world.users["rol_duyun"]
    # given: the prefecture's office links the 福泉 suit to the 都匀 decision (it sees both)
    wf.link_case(fuquan, decision=decision, by=world.users["rol_pref"])

    # the 都匀 office (and the owning agency) see the decision but not the case, so not the link
    for username in ("rol_duyun", "agency_duyun"):
        page = client_of(username).get(reverse("decisions:detail", args=[decision.pk])).content.decode()
        assert fuquan.number not in page
        assert fuquan.number not in client_of(username).get(reverse("decisions:sources")).content.decode()
    # the 福泉 agency sees the case but not the decision: its case page shows no link
    page = client_of("agency_fuquan").get(reverse("cases:detail", args=[fuquan.pk])).content.decode()
    assert decision.title not in page
    # and the county user cannot make one, by the workflow or by the page
    other = make_case(defendant=world.orgs["福泉公安局"], court=world.orgs["福泉法院"])
    with pytest.raises(PermissionDenied):
        wf.link_case(other, decision=decision, by=county)
    client_of("rol_duyun").post(reverse("decisions:link"), {"case": other.pk, "source": f"d{decision.pk}"})
    assert not CaseLink.objects.filter(case=other).exists()
    # a court liaison may not link at all
    with pytest.raises(PermissionDenied):
        wf.link_case(cases["lost"], decision=decision, by=world.users["court_duyun"])


def _numbers(html: str, testid: str) -> list[tuple[int, str]]:
    return [
        (int(n), href.replace("&amp;", "&"))
        for href, n in re.findall(rf'<a[^>]*href="([^"]+)"[^>]*data-testid="{testid}"[^>]*>(\d+)<', html)
    ]


def test_the_dashboard_card_and_the_figures_equal_their_lists(
    world: World,
    decision: Decision,
    cases: dict[str, Case],
    clock: Any,
    settings: Any,
    tmp_path: Any,
    django_assert_max_num_queries: Any,
) -> None:
    settings.DATA_DIR = tmp_path
    add_reviewers(world)
    office = world.users["rol_pref"]
    matter = submitted(world, title="都匀市城市绿化管理办法")
    wf.link_case(cases["lost"], decision=decision, by=office)
    wf.link_case(cases["pending"], decision=decision, by=office)
    wf.link_case(cases["corrected"], matter=matter, by=office)
    wf.link_case(cases["lost"], matter=matter, by=office)  # one case, two sources: counted once in the totals
    client = client_of("rol_pref")
    raise_generation()

    board = client.get(reverse("stats:dashboard"), {"date_from": "2026-01-01", "date_to": "2026-12-31"})
    html = board.content.decode()

    card = {testid: _numbers(html, testid)[0] for testid in ("sources-cases", "sources-lost", "sources-corrected")}
    assert [n for n, _ in card.values()] == [3, 1, 1]
    for number, href in card.values():
        listed = client.get(href).content.decode()
        assert listed.count('data-testid="case-row"') == number
    (lost, href), *_ = _numbers(html, "source-card-lost")
    assert lost == 1 and cases["lost"].number in client.get(href).content.decode()

    with django_assert_max_num_queries(8):  # log-in, session and user, region; the links; the page's own
        whole = client.get(reverse("decisions:sources")).content.decode()
    assert whole.count('data-testid="source-row"') == 2
    with django_assert_max_num_queries(8):
        one = client.get(reverse("decisions:sources"), {"source": f"d{decision.pk}"}).content.decode()
    figures = {t: _numbers(one, f"source-{t}")[0] for t in ("cases", "lost", "corrected")}
    assert [n for n, _ in figures.values()] == [2, 1, 0]
    for number, href in figures.values():
        with django_assert_max_num_queries(10):
            listed = client.get(href).content.decode()
        assert listed.count('data-testid="case-row"') == number


def test_the_loss_review_points_back_to_the_decision(world: World, decision: Decision, cases: dict[str, Case]) -> None:
    from fuyuan.accountability.losses import sync_loss_reviews

    sync_loss_reviews([cases["lost"].pk])
    wf.link_case(cases["lost"], decision=decision, by=world.users["rol_duyun"])
    review = LossReview.objects.get(case=cases["lost"])

    page = client_of("rol_duyun").get(reverse("accountability:loss_detail", args=[review.pk])).content.decode()

    assert 'data-testid="case-source"' in page
    assert reverse("decisions:detail", args=[decision.pk]) in page


def test_the_case_page_keeps_its_queries_whatever_the_links(
    world: World, decision: Decision, cases: dict[str, Case], django_assert_max_num_queries: Any
) -> None:
    client = client_of("rol_duyun")
    url = reverse("cases:detail", args=[cases["lost"].pk])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for n in range(5):
        item = decision.item.catalogue.items.create(
            title=f"事项{n}", owner=decision.owner, planned_start=D(2026, 8, 1), planned_end=D(2026, 12, 1)
        )
        other = wf.start_decision(item, draft="草案", by=world.users["agency_duyun"])
        wf.link_case(cases["lost"], decision=other, by=world.users["rol_duyun"])
    with django_assert_max_num_queries(len(before)):
        page = client.get(url).content.decode()
    assert page.count('data-testid="case-source"') == 5
