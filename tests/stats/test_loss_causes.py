"""败诉原因 on the dashboard (issue 6 §2, SPEC §6.3): the cause categories of the window's first-instance losses,
overall and by agency and 领域, every number a link to the loss-review list showing exactly that many reviews; a
review naming two causes counts once under each; scoped like the dashboard; kept in the dashboard's cache and
refreshed when an analysis is recorded."""

from __future__ import annotations

import datetime
import re
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fuyuan.accountability import losses
from fuyuan.accountability.models import LossCause, LossReview, LossReviewState
from fuyuan.cases.choices import LitigationOutcome
from fuyuan.cases.models import Case
from fuyuan.cases.queries import visible_to
from fuyuan.cases.workflow import update_case
from fuyuan.core.models import Organisation
from fuyuan.stats import counts as figure_counts
from fuyuan.stats import figures
from tests.factories import PASSWORD, World, make_case
from tests.stats.test_dashboard import UNCACHED_BOUND

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

D = datetime.date
WINDOW = {"date_from": "2021-01-01", "date_to": "2021-08-31"}
FROM, TO = D(2021, 1, 1), D(2021, 8, 31)
MAY_3 = D(2021, 5, 3)
URL = reverse("stats:dashboard")
LATE, PROC, FACTS = LossCause.LATE_EVIDENCE, LossCause.PROCEDURE, LossCause.FACTS


def reviewed(
    defendant: Organisation,
    causes: list[str],
    *,
    on: datetime.date = MAY_3,
    outcome: str = LitigationOutcome.REVOKED,
    state: str = LossReviewState.INTERVIEW,
    domain: str = "natural_resources",
) -> LossReview:
    """A concluded first-instance case with its review; ``causes`` empty means the 倒查 is not recorded yet."""
    filed_on = on - datetime.timedelta(days=120)  # a case is concluded after it was filed (cases.rules)
    case = make_case(defendant=defendant, filed_on=filed_on, concluded_on=on, outcome=outcome, domain=domain)
    review = LossReview.objects.create(
        case=case,
        agency=defendant,
        court=case.court,
        outcome=outcome,
        opened_at=timezone.now(),
        state=state if causes else LossReviewState.ANALYSIS,
        causes=causes,
        analysis="原因分析" if causes else "",
        analysis_on=on + datetime.timedelta(days=20) if causes else None,
    )
    figure_counts.refresh([case.pk])  # as the review's workflow does (stats.counts)
    return review


@pytest.fixture
def filled(world: World) -> World:
    """都匀自然资源局: three analysed losses in the window (one naming two causes), one not yet analysed, one before
    the window; 福泉公安局: one (公安 domain); a withdrawn review with causes (its case no longer a loss); 安阳
    (outside 黔南州): one."""
    o = world.orgs
    duyun, fuquan = o["都匀自然资源局"], o["福泉公安局"]
    reviewed(duyun, [LATE, PROC])
    reviewed(duyun, [PROC], on=D(2021, 6, 10))
    reviewed(duyun, [FACTS], domain="housing", state=LossReviewState.CLOSED)
    reviewed(duyun, [])
    reviewed(duyun, [LATE], on=D(2020, 12, 30))
    reviewed(fuquan, [LATE], domain="public_security")
    reviewed(
        fuquan, [PROC], outcome=LitigationOutcome.CLAIM_DISMISSED, state=LossReviewState.WITHDRAWN,
        domain="public_security",
    )  # fmt: skip
    reviewed(o["安阳市场监管局"], [LATE, FACTS])
    return world


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def _board(username: str, **params: Any) -> dict[str, Any]:
    response = _client(username).get(URL, {**WINDOW, **params})
    assert response.status_code == 200
    return response.context["board"]


def _counts(result: dict[str, Any]) -> dict[str, int]:
    return {c["cause"]: c["count"] for c in result["causes"] if c["count"]}


def _links(html: str) -> list[tuple[str, int]]:
    """Every 败诉原因 number with its link on the dashboard: (url, number)."""
    found = re.findall(r'<a href="([^"]+)" data-testid="cause-(?:cell|total|reviews)">(\d+)</a>', html)
    return [(unescape(url), int(n)) for url, n in found]


def _rows_listed(client: Client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode().count('data-testid="loss-row"')


def test_each_cause_counts_the_analysed_losses_of_the_window_and_a_review_with_two_causes_counts_in_each(
    filled: World,
) -> None:
    cases = visible_to(filled.users["rol_pref"])

    result = figures.loss_causes(cases, FROM, TO)

    # 4 reviews (the unanalysed one, the one before the window, the withdrawn one and 安阳 not counted); the review
    # naming 逾期举证 and 程序违法 counts under both, so the causes add up to 5.
    assert result["reviews"] == 4
    assert _counts(result) == {LATE: 2, PROC: 2, FACTS: 1}
    assert [c["label"] for c in result["causes"]][:2] == ["程序违法", "事实不清/证据不足"]
    for cause in LossCause.values:
        behind = figures.reviews_behind(cases, FROM, TO, cause).count()
        assert behind == next(c["count"] for c in result["causes"] if c["cause"] == cause)


def test_the_causes_read_from_the_counts_equal_those_counted_from_the_reviews_for_any_window(filled: World) -> None:
    office = filled.users["rol_pref"]
    duyun = Case.objects.filter(region__path__startswith=filled.regions["都匀市"].path)
    windows = [(FROM, TO), (D(2021, 5, 3), D(2021, 6, 10)), (D(2021, 5, 4), D(2021, 6, 9)), (D(2021, 5, 1), D(2021, 5, 31)),
               (D(2020, 12, 30), D(2021, 5, 3)), (D(2021, 6, 10), D(2021, 6, 10))]  # fmt: skip
    for cases in (visible_to(office), duyun, Case.objects.all()):
        assert figure_counts.region_paths(cases) is not None
        for window in windows:
            counted = figures.loss_causes_by_agency_and_domain(cases, *window)
            # A condition the counts do not know: the reviews themselves are counted.
            assert counted == figures.loss_causes_by_agency_and_domain(cases.filter(pk__isnull=False), *window)
    assert figures.loss_causes_by_agency_and_domain(visible_to(office), FROM, TO)["agency"]["reviews"] == 4


def test_causes_by_agency_domain_and_month_add_up_to_the_overall_counts(filled: World) -> None:
    cases = visible_to(filled.users["rol_pref"])
    o = filled.orgs

    by_agency = figures.loss_causes(cases, FROM, TO, by="agency")
    by_domain = figures.loss_causes(cases, FROM, TO, by="domain")
    by_month = figures.loss_causes(cases, FROM, TO, by="month")

    assert [(r["key"], r["reviews"]) for r in by_agency["rows"]] == [
        (o["都匀自然资源局"].name, 3),
        (o["福泉公安局"].name, 1),
    ]
    assert by_agency["rows"][0]["counts"][PROC] == 2
    assert {r["key"]: r["reviews"] for r in by_domain["rows"]} == {"自然资源": 2, "住房城建": 1, "公安": 1}
    assert [(r["key"], r["reviews"]) for r in by_month["rows"]] == [("2021-05", 3), ("2021-06", 1)]
    overall = _counts(figures.loss_causes(cases, FROM, TO))
    for result in (by_agency, by_domain, by_month):
        assert _counts(result) == overall
    # The dashboard's one query for both groupings gives each exactly.
    assert figures.loss_causes_by_agency_and_domain(cases, FROM, TO) == {"agency": by_agency, "domain": by_domain}


def test_an_unknown_grouping_is_refused(filled: World) -> None:
    with pytest.raises(ValueError, match="未知的分组方式"):
        figures.loss_causes(Case.objects.all(), FROM, TO, by="county")


def test_every_cause_number_on_the_dashboard_opens_a_list_of_exactly_that_many_reviews(filled: World) -> None:
    client = _client("rol_pref")
    html = client.get(URL, WINDOW).content.decode()

    links = _links(html)

    # Overall: 逾期举证 2, 程序违法 2, 事实不清 1; by agency: 2 rows (3 + 1 non-zero cells); by 领域: 3 rows
    # (2 + 1 + 1 non-zero cells); each row's 已倒查案件 too.
    assert len(links) == 3 + (2 + 4) + (3 + 4)
    for url, number in links:
        assert url.startswith(reverse("accountability:loss_list"))
        assert "concluded_from=2021-01-01" in url and "concluded_to=2021-08-31" in url
        assert _rows_listed(client, url) == number, url


def test_the_dashboard_says_a_review_naming_two_causes_counts_once_under_each(filled: World) -> None:
    html = _client("rol_pref").get(URL, WINDOW).content.decode()
    causes = _board("rol_pref")["causes"]

    assert "一案涉及多项原因的，每项原因各计一次" in html
    assert causes["reviews"] == 4 and causes["mentions"] == 5
    duyun = causes["tables"][0]["rows"][0]
    assert duyun["reviews"] == 3
    by_label = {h: c["count"] for h, c in zip(causes["headers"], duyun["cells"], strict=True) if c["count"]}
    # 3 reviews, 4 causes: the review naming 逾期举证 and 程序违法 is under both.
    assert by_label == {"程序违法": 2, "事实不清/证据不足": 1, "逾期举证": 1}


@pytest.mark.parametrize(
    ("username", "reviews", "late"),
    [("rol_pref", 4, 2), ("leader_pref", 4, 2), ("rol_duyun", 3, 1), ("agency_duyun", 3, 1), ("agency_fuquan", 1, 1)],
)
def test_each_user_sees_the_causes_of_the_losses_of_its_own_scope(
    filled: World, username: str, reviews: int, late: int
) -> None:
    causes = _board(username)["causes"]

    assert causes["reviews"] == reviews
    assert next(b["count"] for b in causes["bars"] if b["cause"] == LATE) == late


def test_an_agency_liaison_follows_its_links_to_its_own_reviews_only(filled: World) -> None:
    client = _client("agency_duyun")
    links = _links(client.get(URL, WINDOW).content.decode())

    assert links
    for url, number in links:
        assert _rows_listed(client, url) == number


def test_a_county_chosen_by_the_prefecture_narrows_the_links_to_that_county(filled: World) -> None:
    client = _client("rol_pref")
    county = filled.regions["福泉市"].pk
    html = client.get(URL, {**WINDOW, "region": county}).content.decode()

    links = _links(html)
    assert links and all(f"county={county}" in url for url, _ in links)
    assert {n for _, n in links} == {1}
    for url, number in links:
        assert _rows_listed(client, url) == number


def test_a_role_that_cannot_open_the_loss_list_sees_the_causes_without_links(filled: World) -> None:
    client = _client("recon_pref")
    response = client.get(URL, WINDOW)

    assert response.status_code == 200
    assert _links(response.content.decode()) == []


def test_the_dashboard_keeps_its_query_bound_with_the_cause_section(
    filled: World, django_assert_max_num_queries: Any
) -> None:
    client = _client("rol_pref")
    with django_assert_max_num_queries(UNCACHED_BOUND) as few:
        client.get(URL, {**WINDOW, "sort": "filed"})
    for i in range(12):
        reviewed(filled.orgs["福泉公安局"], [FACTS, LossCause.LAW], domain="transport" if i % 2 else "labour")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL, {**WINDOW, "sort": "-filed"})


def test_a_recorded_analysis_shows_at_once_on_a_cached_dashboard(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    o = world.orgs
    today = timezone.localdate()
    window = {"date_from": today.replace(month=1, day=1).isoformat(), "date_to": today.isoformat()}
    client = _client("rol_duyun")
    case = make_case(defendant=o["都匀自然资源局"], court=o["都匀法院"])
    with django_capture_on_commit_callbacks(execute=True):
        update_case(case, {"outcome": LitigationOutcome.REVOKED, "concluded_on": today}, by=world.users["rol_pref"])
    assert client.get(URL, window).context["board"]["causes"]["reviews"] == 0  # now cached
    review = LossReview.objects.get(case=case)

    with django_capture_on_commit_callbacks(execute=True):
        losses.record_notice(review, on=today, number="", text="通报", by=world.users["rol_duyun"])
        losses.record_analysis(
            review, causes=[LATE, PROC], analysis="未在法定期限内举证", responsible_persons="法规科 张三",
            measures="建立举证台账", by=world.users["agency_duyun"],
        )  # fmt: skip

    causes = client.get(URL, window).context["board"]["causes"]
    assert causes["reviews"] == 1
    assert {b["cause"]: b["count"] for b in causes["bars"] if b["count"]} == {LATE: 1, PROC: 1}
