"""The coordination centre's figures (SPEC §4 调解成功率, 化解数, 化解/败诉比): in `fuyuan stats --disputes` and in
the 协调化解 section of the figures page, without touching the JSON contract of SPEC §9."""

from __future__ import annotations

import datetime
import itertools
import json
import re
from html import unescape
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fuyuan.cases.choices import CaseKind, Instance, LitigationOutcome
from fuyuan.disputes.choices import DisputeOutcome, DisputeState, Source, WithdrawalReason
from fuyuan.disputes.models import Assignment, Coordinator, Dispute
from fuyuan.stats import figures
from tests.factories import PASSWORD, World, make_case, make_coordinator

pytestmark = pytest.mark.usefixtures("clock")

D = datetime.date
_serial = itertools.count(1)
MARCH_2024 = D(2024, 3, 1)
MEDIATED, WITHDRAWN = DisputeOutcome.MEDIATED, DisputeOutcome.WITHDRAWN
CORRECTED, OTHER = WithdrawalReason.AGENCY_CORRECTED, WithdrawalReason.OTHER


def _closed(
    world: World,
    n: int,
    outcome: str,
    *,
    on: datetime.date = MARCH_2024,
    centre: str = "州中心",
    agency: str = "都匀自然资源局",
    reason: str = "",
    domain: str = "",
) -> list[Dispute]:
    """``n`` disputes closed on ``on`` with ``outcome``, saved in bulk (a figures test reads them, nothing else)."""
    org = world.orgs[agency]
    rows = [
        Dispute(
            number=f"测试争调〔{on.year}〕{next(_serial)}号",
            centre=world.orgs[centre],
            region=org.region,
            county=org.region.county(),
            source=Source.WINDOW,
            received_on=on - datetime.timedelta(days=30),
            applicants="张三",
            agency=org,
            matter="不服罚款决定",
            state=DisputeState.CLOSED,
            concluded_on=on,
            outcome=outcome,
            withdrawal_reason=reason,
            domain=domain,
        )
        for _ in range(n)
    ]
    return Dispute.objects.bulk_create(rows, batch_size=2000)


def _run(*args: str) -> str:
    out = StringIO()
    call_command("stats", *args, stdout=out)
    return out.getvalue()


def _json(*args: str) -> dict:  # type: ignore[type-arg]
    return json.loads(_run(*args, "--format", "json"))


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def _dispute_card(html: str, label: str) -> str:
    cards = re.findall(r'data-testid="dispute-card">(.*?)data-testid="yoy"', html, re.S)
    return next(card for card in cards if f">{label}<" in card)


def _text(fragment: str) -> str:
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", fragment))


H1_2024 = ("--from", "2024-01-01", "--to", "2024-06-30")
PAGE_2024 = {"date_from": "2024-01-01", "date_to": "2024-06-30"}


def test_a_centre_with_19015_closed_disputes_11752_of_them_mediated_shows_61_80_percent(world: World) -> None:
    # given: 安阳's published figure (SPEC §4), and 300 disputes not accepted that count in neither
    _closed(world, 11752, MEDIATED)
    _closed(world, 5000, DisputeOutcome.TO_LITIGATION)
    _closed(world, 2000, DisputeOutcome.TO_RECONSIDERATION)
    _closed(world, 263, WITHDRAWN, reason=OTHER)
    _closed(world, 300, DisputeOutcome.REJECTED)

    # when / then: the command
    data = _json(*H1_2024, "--disputes")
    assert data["total"]["disputes"]["closed"] == 19015
    assert data["total"]["disputes"]["mediated"] == 11752
    assert data["total"]["disputes"]["mediation_rate"] == 61.8
    assert "调解成功率 61.80%（11752/19015）" in _run(*H1_2024, "--disputes")

    # and the page, for the prefecture's office and for the centre's own staff
    for username in ("rol_pref", "centre"):
        html = _client(username).get(reverse("stats:figures"), PAGE_2024).content.decode()
        card = _dispute_card(html, "调解成功率")
        assert "61.80%" in card, username
        assert ">11752<" in card and ">19015<" in card, username


def test_not_accepted_disputes_count_in_neither_and_a_withdrawal_is_resolved_only_when_the_agency_corrected(
    world: World,
) -> None:
    _closed(world, 2, MEDIATED)
    _closed(world, 1, WITHDRAWN, reason=CORRECTED)
    _closed(world, 1, WITHDRAWN, reason=OTHER)
    _closed(world, 1, DisputeOutcome.TO_LITIGATION)
    _closed(world, 3, DisputeOutcome.REJECTED)
    _closed(world, 4, MEDIATED, on=D(2024, 7, 1))  # a day after the window

    group = _json(*H1_2024, "--disputes")["total"]["disputes"]

    assert group == {
        "closed": 5,
        "mediated": 2,
        "mediation_rate": 40.0,
        "resolved": 3,
        "resolved_to_loss_ratio": None,  # no loss to set it against
    }
    for name, shown in [("disputes.closed", 5), ("disputes.mediated", 2), ("disputes.resolved", 3)]:
        assert figures.disputes_behind(Dispute.objects.all(), name, D(2024, 1, 1), D(2024, 6, 30)).count() == shown


def _qianxinan_2022(world: World) -> None:
    """黔西南 2022 (SPEC §4): 57 resolved, more than twice the year's 25 losses. 40 disputes, 10 cases mediated
    and 7 withdrawn after the agency changed its act; none of the others resolves anything."""
    on = D(2022, 6, 1)
    _closed(world, 38, MEDIATED, on=on)
    _closed(world, 2, WITHDRAWN, reason=CORRECTED, on=on)
    _closed(world, 5, WITHDRAWN, reason=OTHER, on=on)
    org = world.orgs["都匀自然资源局"]
    for outcome, n in [
        (LitigationOutcome.MEDIATED, 10),
        (LitigationOutcome.WITHDRAWN_AFTER_CHANGE, 7),
        (LitigationOutcome.REVOKED, 25),
        (LitigationOutcome.WITHDRAWN, 3),
        (LitigationOutcome.CLAIM_DISMISSED, 4),
    ]:
        for _ in range(n):
            make_case(CaseKind.LITIGATION, defendant=org, filed_on=D(2022, 1, 5), concluded_on=on, outcome=outcome)
    make_case(
        CaseKind.LITIGATION,
        defendant=org,
        instance=Instance.SECOND,
        filed_on=D(2022, 1, 5),
        concluded_on=on,
        outcome=LitigationOutcome.MEDIATED,
    )


YEAR_2022 = ("--from", "2022-01-01", "--to", "2022-12-31")


def test_cases_mediated_or_withdrawn_after_the_agency_changed_its_act_add_to_the_resolved_and_the_ratio(
    world: World,
) -> None:
    _qianxinan_2022(world)

    data = _json(*YEAR_2022, "--disputes")
    text = _run(*YEAR_2022, "--disputes")

    assert data["total"]["litigation"]["lost"] == 25
    assert data["total"]["disputes"]["resolved"] == 57
    assert data["total"]["disputes"]["resolved_to_loss_ratio"] == 2.28
    assert "化解数 57（争议 40 + 一审调解或改变行为后撤诉 17）  化解/败诉比 2.28（57/25）" in text


def test_the_page_shows_the_resolved_and_the_ratio_with_the_cases_behind_them(world: World) -> None:
    _qianxinan_2022(world)
    client = _client("rol_pref")

    html = client.get(reverse("stats:figures"), {"date_from": "2022-01-01", "date_to": "2022-12-31"}).content.decode()

    resolved, ratio = _dispute_card(html, "化解数"), _dispute_card(html, "化解/败诉比")
    assert "57" in _text(resolved.split('data-testid="rate"')[1].split("</div>")[0])
    assert "2.28" in ratio
    links = re.findall(r'href="(/cases/\?figure=[^"]*)"[^>]*>(\d+)<', ratio)
    assert [n for _, n in links] == ["17", "25"]
    for url, number in links:
        listing = client.get(unescape(url)).content.decode()
        assert f"共 <strong>{number}</strong> 件" in listing, url
    queue = re.findall(r'href="(/disputes/\?[^"]*)"[^>]*>(\d+)<', resolved)
    assert [(unescape(url), n) for url, n in queue] == [
        ("/disputes/?outcome=resolved&closed_from=2022-01-01&closed_to=2022-12-31", "40")
    ]


def test_the_contract_keys_stay_as_they_are_unless_the_disputes_are_asked_for(world: World) -> None:
    make_case(CaseKind.LITIGATION, defendant=world.orgs["福泉公安局"], filed_on=D(2024, 2, 1))
    _closed(world, 2, MEDIATED)  # 都匀市: a county with disputes and no case

    plain = _json(*H1_2024, "--by", "county")
    asked = _json(*H1_2024, "--by", "county", "--disputes")

    assert list(plain["total"]) == ["litigation", "reconsideration"]
    assert [list(row) for row in plain["rows"]] == [["key", "litigation", "reconsideration"]]
    assert list(asked["total"]) == ["litigation", "reconsideration", "disputes"]
    assert list(asked["total"]["disputes"]) == list(figures.DISPUTE_KEYS)
    assert [row["key"] for row in asked["rows"]] == ["都匀市", "福泉市"]
    assert all(list(row) == ["key", "litigation", "reconsideration", "disputes"] for row in asked["rows"])
    assert asked["rows"][0]["disputes"]["mediated"] == 2 and asked["rows"][1]["disputes"]["closed"] == 0
    assert asked["rows"][1]["litigation"] == plain["rows"][0]["litigation"]


def test_by_centre_the_rows_carry_only_the_disputes(world: World) -> None:
    _closed(world, 3, MEDIATED)
    _closed(world, 1, DisputeOutcome.TO_LITIGATION)
    _closed(world, 1, MEDIATED, centre="都匀中心")
    _closed(world, 1, WITHDRAWN, reason=OTHER, centre="都匀中心")
    make_case(
        CaseKind.LITIGATION, defendant=world.orgs["都匀自然资源局"], concluded_on=D(2024, 2, 1), outcome="revoked"
    )

    data = _json(*H1_2024, "--by", "centre")  # --disputes is implied
    text = _run(*H1_2024, "--by", "centre")

    assert list(data["total"]) == ["litigation", "reconsideration", "disputes"]
    assert data["total"]["disputes"]["resolved_to_loss_ratio"] == 4.0  # 4 resolved disputes / 1 loss
    assert data["rows"] == [
        {
            "key": "都匀市行政争议协调化解中心",
            "disputes": {
                "closed": 2,
                "mediated": 1,
                "mediation_rate": 50.0,
                "resolved": 1,
                "resolved_to_loss_ratio": None,
            },
        },
        {
            "key": "黔南州行政争议协调化解中心",
            "disputes": {
                "closed": 4,
                "mediated": 3,
                "mediation_rate": 75.0,
                "resolved": 3,
                "resolved_to_loss_ratio": None,
            },
        },
    ]
    assert "协调化解中心：黔南州行政争议协调化解中心\n  协调化解          办结 4（不含不予受理）" in text
    assert "调解成功率 75.00%（3/4）\n                    化解数 3" in text


def _assign(dispute: Dispute, coordinator: Coordinator, world: World, *, released: bool = False) -> None:
    now = timezone.now()
    Assignment.objects.create(
        dispute=dispute,
        coordinator=coordinator,
        assigned_at=now,
        assigned_by=world.users["centre"],
        released_at=now if released else None,
    )


def test_by_coordinator_a_dispute_counts_for_every_coordinator_ever_assigned_to_it(world: World) -> None:
    li = make_coordinator("李协调", org=world.orgs["州司法局"])
    wang = make_coordinator("王协调", org=world.orgs["都匀司法局"])
    first, second, third, never = (
        *_closed(world, 1, MEDIATED),
        *_closed(world, 1, DisputeOutcome.TO_LITIGATION),
        *_closed(world, 1, MEDIATED),
        *_closed(world, 1, MEDIATED),
    )
    _assign(first, li, world, released=True)  # released: still counts for 李协调
    _assign(first, wang, world)
    _assign(second, li, world)
    _assign(third, li, world, released=True)  # released and assigned again: counted once
    _assign(third, li, world)
    assert never.assignments.count() == 0

    data = _json(*H1_2024, "--by", "coordinator")

    rows = {row["key"]: row["disputes"] for row in data["rows"]}
    assert list(rows) == ["李协调（黔南州司法局）", "王协调（都匀市司法局）"]
    assert (rows["李协调（黔南州司法局）"]["closed"], rows["李协调（黔南州司法局）"]["mediated"]) == (3, 2)
    assert (rows["王协调（都匀市司法局）"]["closed"], rows["王协调（都匀市司法局）"]["mediated"]) == (1, 1)
    assert (data["total"]["disputes"]["closed"], data["total"]["disputes"]["mediated"]) == (4, 3)  # each once
    assert all(list(row) == ["key", "disputes"] for row in data["rows"])


def test_the_help_says_how_coordinator_rows_count(db: None) -> None:
    from fuyuan.stats.management.commands.stats import Command

    help_text = Command().create_parser("fuyuan", "stats").format_help()

    assert "--disputes" in help_text
    assert "曾指派给它的每一名协调员（含已退出的）" in re.sub(r"\s+", "", help_text)


def test_grouped_by_centre_the_page_replaces_the_case_table_with_the_dispute_table(world: World) -> None:
    _closed(world, 3, MEDIATED)
    _closed(world, 1, DisputeOutcome.TO_LITIGATION)
    make_case(
        CaseKind.LITIGATION, defendant=world.orgs["都匀自然资源局"], concluded_on=D(2024, 2, 1), outcome="revoked"
    )
    centre = world.orgs["州中心"]

    html = _client("rol_pref").get(reverse("stats:figures"), {**PAGE_2024, "by": "centre"}).content.decode()

    assert 'id="figure-table"' not in html and 'id="dispute-table"' in html
    assert '<option value="centre" selected>协调化解中心</option>' in html
    assert '<option value="coordinator">协调员</option>' in html
    table = html.split('id="dispute-table"')[1].split("</table>")[0]
    assert "黔南州行政争议协调化解中心" in table and "75.00%" in table
    assert ">败诉率<" in html  # the case cards stay
    closed = f"/disputes/?state=closed&outcome=closed_after_mediation&closed_from=2024-01-01&closed_to=2024-06-30&centre={centre.pk}"
    assert f'href="{closed}"'.replace("&", "&amp;") in table


def test_the_centre_staff_see_their_centres_figures_and_no_case_figures(world: World) -> None:
    _closed(world, 3, MEDIATED)
    _closed(world, 1, MEDIATED, centre="都匀中心")
    _closed(world, 1, DisputeOutcome.TO_RECONSIDERATION, centre="都匀中心")

    html = _client("centre_duyun").get(reverse("stats:figures"), PAGE_2024).content.decode()

    assert "50.00%" in _dispute_card(html, "调解成功率")
    assert ">败诉率<" not in html and 'id="figure-table"' not in html
    assert "化解/败诉比" not in html  # the centre sees no case: no loss to set against
    assert "不含诉讼案件" in html


def test_with_a_region_chosen_the_dispute_numbers_say_why_they_are_not_links(world: World) -> None:
    _closed(world, 2, MEDIATED)

    html = (
        _client("rol_pref")
        .get(reverse("stats:figures"), {**PAGE_2024, "region": world.regions["都匀市"].pk})
        .content.decode()
    )

    assert "100.00%" in _dispute_card(html, "调解成功率")
    assert "/disputes/?" not in html
    assert "争议列表暂不能按地区" in html


@pytest.mark.parametrize("by", ["county", "coordinator"])
def test_the_page_runs_a_fixed_number_of_queries_however_many_disputes_centres_and_coordinators(
    world: World, by: str, django_assert_max_num_queries: object
) -> None:
    client = _client("rol_pref")
    li = make_coordinator("李协调", org=world.orgs["州司法局"])
    for dispute in _closed(world, 2, MEDIATED):
        _assign(dispute, li, world)
    with django_assert_max_num_queries(25) as few:  # type: ignore[operator]
        client.get(reverse("stats:figures"), {**PAGE_2024, "by": by})
    for i in range(6):
        person = make_coordinator(f"协调员{i}", org=world.orgs["都匀司法局"])
        for dispute in _closed(world, 3, MEDIATED, centre="都匀中心", agency="福泉公安局"):
            _assign(dispute, person, world)
    _closed(world, 5, DisputeOutcome.TO_LITIGATION, agency="州人社局")

    with django_assert_max_num_queries(len(few.captured_queries)):  # type: ignore[operator]
        response = client.get(reverse("stats:figures"), {**PAGE_2024, "by": by})

    assert ("协调员5" if by == "coordinator" else "福泉市") in response.content.decode()


def _queue_links(html: str) -> list[tuple[str, str]]:
    table = html.split('id="dispute-table"')[1].split("</table>")[0]
    return [(unescape(url), n) for url, n in re.findall(r'href="(/disputes/\?[^"]*)"[^>]*>(\d+)<', table)]


def test_a_dispute_number_opens_the_queue_with_exactly_that_many_disputes(world: World) -> None:
    _closed(world, 3, MEDIATED)
    _closed(world, 1, WITHDRAWN, reason=CORRECTED)
    _closed(world, 2, DisputeOutcome.TO_LITIGATION, centre="都匀中心")
    _closed(world, 4, DisputeOutcome.REJECTED)
    client = _client("rol_pref")

    html = client.get(reverse("stats:figures"), {**PAGE_2024, "by": "centre"}).content.decode()
    links = _queue_links(html)

    # 办结, 调解成功, 争议化解 of 都匀中心, 州中心 and the total; the 4 not accepted count nowhere
    assert [n for _, n in links] == ["2", "0", "0", "4", "3", "4", "6", "3", "4"]
    for url, number in links:
        listing = client.get(url).content.decode()
        assert f"共 <strong>{number}</strong> 件" in listing, url


def test_a_coordinators_number_opens_the_queue_with_the_disputes_they_were_ever_assigned(world: World) -> None:
    li = make_coordinator("李协调", org=world.orgs["州司法局"])
    for i, dispute in enumerate(_closed(world, 3, MEDIATED)):
        _assign(dispute, li, world, released=i == 0)
    client = _client("rol_pref")

    html = client.get(reverse("stats:figures"), {**PAGE_2024, "by": "coordinator"}).content.decode()
    links = _queue_links(html)

    assert links and links[0][1] == "3"
    for url, number in links:
        assert f"共 <strong>{number}</strong> 件" in client.get(url).content.decode(), url


def test_by_domain_each_domain_has_its_mediation_rate_in_the_command_and_on_the_page(world: World) -> None:
    _closed(world, 3, MEDIATED, domain="forestry")
    _closed(world, 1, DisputeOutcome.TO_LITIGATION, domain="forestry")
    _closed(world, 1, MEDIATED, domain="labour", agency="州人社局")
    _closed(world, 1, WITHDRAWN, reason=CORRECTED, domain="labour", agency="州人社局")
    _closed(world, 2, DisputeOutcome.TO_RECONSIDERATION, domain="labour", agency="州人社局")

    data = _json(*H1_2024, "--by", "domain", "--disputes")
    text = _run(*H1_2024, "--by", "domain", "--disputes")
    client = _client("rol_pref")
    html = client.get(reverse("stats:figures"), {**PAGE_2024, "by": "domain"}).content.decode()

    rows = {row["key"]: row["disputes"] for row in data["rows"]}
    assert rows == {
        "林业": {"closed": 4, "mediated": 3, "mediation_rate": 75.0, "resolved": 3, "resolved_to_loss_ratio": None},
        "劳动社保": {"closed": 4, "mediated": 1, "mediation_rate": 25.0, "resolved": 2, "resolved_to_loss_ratio": None},
    }
    assert (data["total"]["disputes"]["closed"], data["total"]["disputes"]["mediated"]) == (8, 4)
    assert "领域：林业" in text and "调解成功率 75.00%（3/4）" in text
    assert "领域：劳动社保" in text and "调解成功率 25.00%（1/4）" in text
    table = html.split('id="dispute-table"')[1].split("</table>")[0]
    forestry = table.split(">林业<")[1].split("</tr>")[0]
    assert "75.00%" in forestry and "25.00%" in table.split(">劳动社保<")[1].split("</tr>")[0]
    closed = re.search(r'href="([^"]*domain=forestry)">4<', forestry)
    assert closed is not None
    queue = client.get(unescape(closed.group(1))).content.decode()
    assert queue.count('data-testid="queue-row"') == 4
