"""The reconsideration body's own figures (issue 14 item 8): each number over files built through the workflow, and the
files behind each number exactly those it counts — in ``figures`` and on the page and its drill-down list.

The files, all received on Monday 2 November 2026 (the 5-working-day review then ends on Monday 9 November):

- 甲 accepted on 3 November, decided 撤销 on 1 December (60 days: on time);
- 乙 not decided in the review, 视为受理 from 9 November (第30条第3款: not timely), then mediated on 20 November;
- 丙 refused (不予受理) on 4 November;
- 丁 accepted on 3 November in the simplified procedure (30 days: due 3 December), decided 维持 on 10 December: late;
- 戊 accepted on 3 November, a 听证 held on 27 November, extended (90 days), decided 15 January 2027: on time;
- 己 accepted on 3 November and still open;
- 庚 against 福泉市公安局, accepted on 3 November, settled (和解) on 25 November;
- 辛 asked for a 补正 on 3 November and lapsed (第31条第2款): never reviewed to a decision, in no figure;
- 壬 at another body (都匀市司法局), accepted on 3 November, decided 维持 on 30 November.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from fuyuan.cases.choices import ReconsiderationOutcome
from fuyuan.core.models import Role, User
from fuyuan.reconsideration import figures as fig
from fuyuan.reconsideration.choices import Channel, MediationKind, Procedure
from fuyuan.reconsideration.models import Application
from fuyuan.reconsideration.queries import visible_to
from fuyuan.reconsideration.workflow import (
    accept,
    approve_extension,
    decide,
    deem_accepted,
    end_mediation,
    receive_application,
    record_hearing,
    reject,
    request_correction,
    request_extension,
    schedule_hearing,
    send_hearing_notice,
    start_mediation,
    withdraw_for_silence,
)
from tests.conftest import Clock, clock_start
from tests.factories import World, build_world, make_user
from tests.kept import KeptWorld, kept_for_the_module
from tests.reconsideration.conftest import D, particulars

pytestmark = pytest.mark.django_db

FROM, TO = D(2026, 11, 1), D(2027, 1, 31)
FIRST_DAY, LAST_DAY = D(2026, 11, 2), D(2027, 1, 15)  # the files received; 戊 decided, the last


@dataclass
class Files:
    by_name: dict[str, Application] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Application:
        return self.by_name[name]

    def numbers(self, names: str) -> set[str]:
        return {self.by_name[n].receipt_number for n in names}


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))


def build_files(world: World, clock: Any) -> Files:
    """The files of the module docstring, each step on its day through ``reconsideration.workflow``; ``clock`` moves
    "now" to a date (the ``clock`` fixture, or a time-machine traveller's ``move_to`` for the browser test)."""
    staff, duyun_staff = world.users["recon_pref"], make_user("recon_duyun", Role.RECONSIDERATION_BODY,
                                                                 org=world.orgs["都匀司法局"])  # fmt: skip
    head = make_user("recon_head", Role.RECONSIDERATION_BODY, org=world.orgs["州司法局"])
    duyun_head = make_user("recon_duyun_head", Role.RECONSIDERATION_BODY, org=world.orgs["都匀司法局"])
    User.objects.filter(pk__in=[head.pk, duyun_head.pk]).update(is_head=True)
    head.refresh_from_db()
    duyun_head.refresh_from_db()
    world.users.update({"recon_duyun": duyun_staff, "recon_head": head, "recon_duyun_head": duyun_head})
    files = Files()

    def receive(name: str, *, body: str = "州司法局", respondent: str = "都匀自然资源局", **values: Any) -> Application:
        by = staff if body == "州司法局" else duyun_staff
        receipt = receive_application(
            particulars(contested_act=f"{name}案被申请的行政行为", applicant_name=f"{name}申请人", **values),
            body=world.orgs[body], respondent=world.orgs[respondent], channel=Channel.WINDOW, by=by,
        )  # fmt: skip
        files.by_name[name] = receipt.application
        return receipt.application

    def refresh(name: str) -> Application:
        files.by_name[name] = Application.objects.select_related("case").get(pk=files[name].pk)
        return files[name]

    clock(FIRST_DAY)
    for name in "甲乙丙戊己辛":
        receive(name)
    receive("丁", amount=Decimal("2000"))  # 第53条第1款第(三)项: 三千元以下
    receive("庚", respondent="福泉公安局")
    receive("壬", body="都匀司法局")

    clock(D(2026, 11, 3))
    for name in "甲戊己庚":
        accept(files[name], by=staff)
    accept(files["丁"], by=staff, procedure=Procedure.SIMPLIFIED)
    accept(files["壬"], by=duyun_staff)
    request_correction(files["辛"], items=["身份证明"], by=staff)
    clock(D(2026, 11, 4))
    reject(files["丙"], grounds=["out_of_scope"], reason="不属于行政复议范围", by=staff)
    clock(D(2026, 11, 10))
    deem_accepted(files["乙"])

    clock(D(2026, 11, 13))
    hearing = schedule_hearing(refresh("戊"), held_at=_at(D(2026, 11, 27)), place="州司法局听证室", by=staff)
    send_hearing_notice(hearing, by=staff)
    clock(D(2026, 11, 18))
    mediation = start_mediation(refresh("乙"), kind=MediationKind.MEDIATION, mediator="调解和解委员会", by=staff)
    clock(D(2026, 11, 20))
    end_mediation(mediation, succeeded=True, terms="调解协议", by=staff)
    withdraw_for_silence(refresh("辛"))
    clock(D(2026, 11, 25))
    settlement = start_mediation(refresh("庚"), kind=MediationKind.SETTLEMENT, by=staff)
    end_mediation(settlement, succeeded=True, terms="和解协议", by=staff)
    clock(D(2026, 11, 27))
    record_hearing(hearing, head_attended=True, head_name="王局长", record="双方陈述意见", by=staff)
    clock(D(2026, 11, 30))
    decide(
        refresh("壬"), outcome=ReconsiderationOutcome.UPHELD, facts="经审理查明的事实", grounds="合法", by=duyun_head
    )
    clock(D(2026, 12, 1))
    decide(refresh("甲"), outcome=ReconsiderationOutcome.REVOKED, facts="经审理查明的事实", grounds="违法", by=head)
    clock(D(2026, 12, 10))
    decide(refresh("丁"), outcome=ReconsiderationOutcome.UPHELD, facts="经审理查明的事实", grounds="合法", by=head)
    clock(D(2026, 12, 20))
    request_extension(refresh("戊"), reason="案情复杂", days=30, by=staff)
    approve_extension(refresh("戊"), by=head)
    clock(LAST_DAY)
    decide(refresh("戊"), outcome=ReconsiderationOutcome.UPHELD, facts="经审理查明的事实", grounds="合法", by=head)
    for name in list(files.by_name):
        refresh(name)
    return files


@pytest.fixture(scope="module")
def kept_files(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[KeptWorld]:
    """The personas' world and the files of the module docstring, built once for the module's tests
    (``kept_for_the_module``: each test sees them as if it had built them itself). The personas are made on the day
    the first files come in, whatever the test day (``make test-week``): on the day the last is decided their
    passwords are not yet past their 90 days."""

    def write() -> KeptWorld:
        with time_machine.travel(clock_start(), tick=False) as traveller:
            clock = Clock(traveller)
            clock(FIRST_DAY)
            world = build_world()
            files = build_files(world, clock)
            return KeptWorld(world, {name: application.pk for name, application in files.by_name.items()})

    with kept_for_the_module(django_db_blocker, write) as kept:
        yield kept


@pytest.fixture
def world(kept_files: KeptWorld, clock: Any) -> World:
    """The module's personas (with the three reconsideration users ``build_files`` adds), on the day its last file was
    decided, as when the files have just been built."""
    clock(LAST_DAY)
    return kept_files.fresh_world()


@pytest.fixture
def files(kept_files: KeptWorld, world: World) -> Files:
    return Files(kept_files.records(Application))


def body_files(world: World) -> Any:
    return visible_to(world.users["recon_pref"])


def numbers_behind(world: World, measure: str, **row: Any) -> set[str]:
    behind = fig.files_behind(fig.narrowed(body_files(world), **row), measure, FROM, TO)
    return set(behind.values_list("receipt_number", flat=True))


def test_the_body_sees_each_figure_of_its_own_files(world: World, files: Files) -> None:
    total = fig.compute(body_files(world), FROM, TO)["total"]

    assert total["counts"] == {
        "reviewed": 7, "reviewed_on_time": 6, "accepted": 6, "simplified": 1,
        "concluded": 5, "concluded_on_time": 4, "mediated": 2, "heard": 1,
        "days": 29 + 18 + 38 + 74 + 23,
    }  # fmt: skip
    assert total["figures"] == {
        "acceptance_rate": 85.71,
        "decision_rate": 80.0,
        "average_days": 36.4,
        "mediation_rate": 40.0,
        "hearing_rate": 20.0,
        "simplified_share": 16.67,
    }


@pytest.mark.parametrize(
    ("measure", "names"),
    [
        ("reviewed", "甲乙丙丁戊己庚"),
        ("reviewed_on_time", "甲丙丁戊己庚"),  # 乙 was accepted by law, not by the body in time
        ("accepted", "甲乙丁戊己庚"),
        ("simplified", "丁"),
        ("concluded", "甲乙丁戊庚"),
        ("concluded_on_time", "甲乙戊庚"),  # 丁 after its 30 days; 戊 within its extended period
        ("mediated", "乙庚"),
        ("heard", "戊"),
    ],
)
def test_each_numbers_files_are_exactly_those_it_counts(world: World, files: Files, measure: str, names: str) -> None:
    assert numbers_behind(world, measure) == files.numbers(names)
    assert fig.compute(body_files(world), FROM, TO)["total"]["counts"][measure] == len(names)


def test_the_late_files_follow_the_deadline_rows_not_a_count_of_days(world: World, files: Files) -> None:
    from fuyuan.deadlines.models import Deadline

    simplified = Deadline.objects.get(case=files["丁"].case, rule_id="reconsideration.simplified")
    extended = Deadline.objects.get(case=files["戊"].case, rule_id="reconsideration.decision")

    assert (simplified.due_on, simplified.met_on) == (D(2026, 12, 3), D(2026, 12, 10))
    # 戊's 60-day period lengthened by the 30 days approved (第62条第1款), in its one decision row.
    assert extended.met_on == D(2027, 1, 15) and extended.met_on <= extended.due_on
    assert not Deadline.objects.filter(case=files["戊"].case, rule_id="reconsideration.decision_extended").exists()


def test_by_respondent_each_row_adds_up_to_the_total_and_lists_its_own_files(world: World, files: Files) -> None:
    result = fig.compute(body_files(world), FROM, TO, by="respondent")
    rows = {row["key"]: row for row in result["rows"]}

    assert list(rows) == sorted(rows)
    assert rows["福泉市公安局"]["counts"]["concluded"] == 1
    assert rows["福泉市公安局"]["figures"]["mediation_rate"] == 100.0
    assert rows["都匀市自然资源局"]["figures"]["mediation_rate"] == 25.0
    for name in fig.MEASURES:
        assert sum(row["counts"][name] for row in result["rows"]) == result["total"]["counts"][name]
    fuquan = rows["福泉市公安局"]
    *window, filters = fig.row_scope("respondent", fuquan["ref"], FROM, TO)
    assert window == [FROM, TO]
    assert numbers_behind(world, "mediated", **filters) == files.numbers("庚")


def test_by_month_each_file_counts_in_the_month_of_its_own_date(world: World, files: Files) -> None:
    result = fig.compute(body_files(world), FROM, TO, by="month")
    rows = {row["key"]: row["counts"] for row in result["rows"]}

    assert list(rows) == ["2026-11", "2026-12", "2027-01"]
    assert (rows["2026-11"]["reviewed"], rows["2026-11"]["concluded"], rows["2026-11"]["days"]) == (7, 2, 18 + 23)
    assert (rows["2026-12"]["reviewed"], rows["2026-12"]["concluded"], rows["2026-12"]["concluded_on_time"]) == (
        0, 2, 1,
    )  # fmt: skip
    assert (rows["2027-01"]["concluded"], rows["2027-01"]["heard"]) == (1, 1)
    assert result["total"]["counts"] == fig.compute(body_files(world), FROM, TO)["total"]["counts"]
    december = next(row for row in result["rows"] if row["key"] == "2026-12")
    start, end, filters = fig.row_scope("month", december["ref"], FROM, TO)
    behind = fig.files_behind(body_files(world), "concluded", start, end)
    assert (start, end, filters) == (D(2026, 12, 1), D(2026, 12, 31), {})
    assert set(behind.values_list("receipt_number", flat=True)) == files.numbers("甲丁")


def test_each_body_sees_its_own_and_the_office_its_regions(world: World, files: Files) -> None:
    duyun = fig.compute(visible_to(world.users["recon_duyun"]), FROM, TO)["total"]["counts"]
    office = fig.compute(visible_to(world.users["rol_pref"]), FROM, TO, by="body")

    assert (duyun["reviewed"], duyun["concluded"], duyun["days"]) == (1, 1, 28)
    assert [row["key"] for row in office["rows"]] == ["都匀市司法局", "黔南州司法局"]
    assert office["total"]["counts"]["reviewed"] == 8
    assert {row["key"]: row["counts"]["concluded"] for row in office["rows"]} == {"都匀市司法局": 1, "黔南州司法局": 5}
    assert fig.compute(visible_to(world.users["agency_fuquan"]), FROM, TO)["total"]["counts"]["reviewed"] == 1


def test_the_figures_take_one_query_and_one_more_to_name_the_rows(
    world: World, files: Files, django_assert_num_queries: Any
) -> None:
    scope = body_files(world)  # the scope itself asks whether the user sits on a committee: one query, once
    with django_assert_num_queries(1):
        fig.compute(scope, FROM, TO)
    with django_assert_num_queries(2):
        fig.compute(scope, FROM, TO, by="body")
    with django_assert_num_queries(2):
        fig.compute(scope, FROM, TO, by="month")


# --- The page and its drill-down list ---


def _client(world: World, username: str) -> Client:
    client = Client()
    client.force_login(world.users[username])
    return client


def test_the_page_shows_each_figure_with_its_parts_one_click_away(world: World, files: Files) -> None:
    page = _client(world, "recon_pref").get(
        reverse("reconsideration_figures:figures"), {"date_from": FROM, "date_to": TO, "by": "respondent"}
    )
    html = page.content.decode()

    assert page.status_code == 200
    cards = {card["label"]: card for card in page.context["cards"]}
    assert cards["按期受理率"]["value"] == "85.71%"
    assert (cards["按期受理率"]["numerator"]["count"], cards["按期受理率"]["denominator"]["count"]) == (6, 7)
    assert cards["平均办理天数"]["value"] == "36.4 天"
    assert cards["平均办理天数"]["numerator"]["count"] == 182
    assert cards["简易程序占比"]["value"] == "16.67%"
    assert "福泉市公安局" in html and "都匀市司法局" not in html
    listing = _client(world, "recon_pref").get(cards["按期办结率"]["numerator"]["url"])
    shown = {a.receipt_number for a in listing.context["page"].object_list}
    assert shown == files.numbers("甲乙戊庚")
    assert "在审理期限内办结" in listing.content.decode()


def test_a_deemed_acceptance_counts_as_not_on_time_and_the_page_says_so_under_the_figure(
    world: World, files: Files
) -> None:
    client = _client(world, "recon_pref")
    page = client.get(reverse("reconsideration_figures:figures"), {"date_from": FROM, "date_to": TO, "by": "body"})
    card = next(c for c in page.context["cards"] if c["name"] == "acceptance_rate")

    # 乙 was deemed accepted (第30条第3款): among those reviewed, not among those reviewed on time.
    reviewed = {a.receipt_number for a in client.get(card["denominator"]["url"]).context["page"].object_list}
    on_time = {a.receipt_number for a in client.get(card["numerator"]["url"]).context["page"].object_list}
    assert files["乙"].receipt_number in reviewed - on_time
    line = "视为受理（第30条第3款）的案件计入分母、不计为按期受理：行政复议机构未在期限内作出决定。"
    assert card["caveat"] == line
    assert f'<div class="small text-warning-emphasis mt-1" data-testid="caveat">{line}</div>' in page.content.decode()
    assert page.content.decode().count('data-testid="caveat"') == 1


def test_the_list_behind_a_rows_number_holds_that_rows_files_and_their_days(world: World, files: Files) -> None:
    client = _client(world, "rol_pref")
    page = client.get(reverse("reconsideration_figures:figures"), {"date_from": FROM, "date_to": TO, "by": "body"})
    duyun = next(row for row in page.context["rows"] if row["key"] == "都匀市司法局")
    concluded = next(cell for cell in duyun["cells"] if cell["name"] == "concluded")

    listing = client.get(concluded["url"])

    assert [a.receipt_number for a in listing.context["page"].object_list] == [files["壬"].receipt_number]
    assert listing.context["page"].object_list[0].days == 28
    assert "28" in listing.content.decode()


def test_a_file_outside_the_users_scope_is_never_listed_whatever_the_link_says(world: World, files: Files) -> None:
    duyun_body = world.orgs["都匀司法局"].pk
    listing = _client(world, "recon_pref").get(
        reverse("reconsideration_figures:files"),
        {"figure": "concluded", "from": FROM, "to": TO, "body": duyun_body},
    )

    assert listing.status_code == 200
    assert list(listing.context["page"].object_list) == []


def test_the_late_files_of_each_timeliness_figure_are_listed_apart(world: World, files: Files) -> None:
    assert numbers_behind(world, "reviewed_late") == files.numbers("乙")
    assert numbers_behind(world, "concluded_late") == files.numbers("丁")

    page = _client(world, "recon_pref").get(
        reverse("reconsideration_figures:figures"), {"date_from": FROM, "date_to": TO}
    )
    late = {card["label"]: card["late"] for card in page.context["cards"]}
    assert late["听证率"] is None
    assert late["按期办结率"]["count"] == 1
    listing = _client(world, "recon_pref").get(late["按期办结率"]["url"])
    assert [a.receipt_number for a in listing.context["page"].object_list] == [files["丁"].receipt_number]
    assert "超过审理期限办结" in listing.content.decode()


def test_the_page_and_its_list_run_as_many_queries_whatever_the_rows(world: World, files: Files, clock: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    params = {"date_from": FROM, "date_to": TO, "by": "respondent"}
    listed = {"figure": "reviewed", "from": FROM, "to": TO}

    def queries() -> tuple[int, int]:
        client = _client(world, "rol_pref")  # logged in afresh: the clock moves past the session's idle limit
        client.get(reverse("reconsideration_figures:figures"), params)
        with CaptureQueriesContext(connection) as page:
            client.get(reverse("reconsideration_figures:figures"), params)
        with CaptureQueriesContext(connection) as listing:
            client.get(reverse("reconsideration_figures:files"), listed)
        return len(page), len(listing)

    before = queries()
    clock(D(2027, 1, 18))
    for respondent in ("州人社局", "福泉公安局"):
        receipt = receive_application(
            particulars(contested_act=f"{respondent}的行政行为"), body=world.orgs["州司法局"],
            respondent=world.orgs[respondent], channel=Channel.WINDOW, by=world.users["recon_pref"],
        )  # fmt: skip
        accept(receipt.application, by=world.users["recon_pref"])

    assert queries() == before
    assert fig.compute(visible_to(world.users["rol_pref"]), FROM, TO)["total"]["counts"]["reviewed"] == 10
