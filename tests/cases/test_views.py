"""The case pages as a user meets them: the list (HTMX, paging, drill-down), the detail page, create and edit."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from fuyuan.cases.choices import CaseKind, LitigationOutcome, ReconsiderationOutcome
from fuyuan.cases.models import Case
from fuyuan.cases.workflow import register_case, update_case
from tests.factories import PASSWORD, World, make_case

pytestmark = pytest.mark.django_db
D = datetime.date


def logged_in(persona: str) -> Client:
    client = Client()
    assert client.login(username=persona, password=PASSWORD)
    return client


def many_cases(world: World, count: int) -> None:
    for i in range(count):
        make_case(
            number=f"（2021）黔2701行初{1000 + i}号",
            defendant=world.orgs["都匀自然资源局"],
            court=world.orgs["都匀法院"],
            filed_on=D(2021, 1, 1) + datetime.timedelta(days=i),
        )


# --- the list -----------------------------------------------------------------------------------------------


def test_a_full_get_renders_the_whole_page_with_filters_and_buttons(world: World) -> None:
    make_case(number="（2021）黔2701行初1号", defendant=world.orgs["都匀自然资源局"], court=world.orgs["都匀法院"])

    html = logged_in("rol_pref").get(reverse("cases:list")).content.decode()

    assert "<title>案件台账" in html
    assert 'id="case-filters"' in html
    assert "登记新案件（行政诉讼）" in html
    assert "登记新案件（行政复议）" in html
    assert "（2021）黔2701行初1号" in html


def test_an_htmx_request_returns_only_the_results(world: World) -> None:
    make_case(number="（2021）黔2701行初1号", defendant=world.orgs["都匀自然资源局"], court=world.orgs["都匀法院"])

    html = logged_in("rol_pref").get(reverse("cases:list"), {"q": "行初1号"}, HTTP_HX_REQUEST="true").content.decode()

    assert "<html" not in html
    assert 'id="case-filters"' not in html
    assert "（2021）黔2701行初1号" in html
    assert "共 <strong>1</strong> 件" in html


def test_a_history_restore_by_htmx_gets_the_whole_page(world: World) -> None:
    response = logged_in("rol_pref").get(
        reverse("cases:list"), {"kind": "litigation"}, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )

    assert 'id="case-filters"' in response.content.decode()
    assert "HX-Request" in response["Vary"]


def test_only_the_kinds_the_user_may_register_are_offered(world: World) -> None:
    court = logged_in("court_duyun").get(reverse("cases:list")).content.decode()
    agency = logged_in("agency_duyun").get(reverse("cases:list")).content.decode()

    assert "登记新案件（行政诉讼）" in court
    assert "登记新案件（行政复议）" not in court
    assert "登记新案件" not in agency


def test_the_list_pages_by_fifty_and_keeps_the_filters_in_the_page_links(world: World) -> None:
    many_cases(world, 120)
    client = logged_in("rol_pref")

    first = client.get(reverse("cases:list"), {"kind": "litigation"}).content.decode()
    third = client.get(reverse("cases:list"), {"kind": "litigation", "page": "3"}).content.decode()

    assert "共 <strong>120</strong> 件，第 1 / 3 页" in first
    assert first.count('<a href="/cases/') == 50
    assert 'hx-get="?kind=litigation&amp;page=2"' in first
    assert "第 3 / 3 页" in third
    assert third.count('<a href="/cases/') == 20


def test_a_page_number_out_of_range_shows_the_last_page(world: World) -> None:
    many_cases(world, 60)

    html = logged_in("rol_pref").get(reverse("cases:list"), {"page": "99"}).content.decode()

    assert "第 2 / 2 页" in html


@pytest.mark.parametrize("rows", [5, 60])
def test_the_number_of_queries_does_not_grow_with_the_rows(
    world: World, rows: int, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    many_cases(world, rows)
    make_case(
        CaseKind.RECONSIDERATION,
        defendant=world.orgs["州人社局"],
        reconsideration_body=world.orgs["州司法局"],
        concluded_on=D(2021, 5, 1),
        outcome=ReconsiderationOutcome.REVOKED,
    )
    client = logged_in("rol_pref")

    with django_assert_max_num_queries(8):
        response = client.get(reverse("cases:list"))

    assert response.status_code == 200


def test_a_loss_and_a_correction_are_marked_in_red(world: World) -> None:
    make_case(
        number="（2021）黔2701行初5号",
        defendant=world.orgs["都匀自然资源局"],
        concluded_on=D(2021, 6, 1),
        outcome=LitigationOutcome.REVOKED,
    )
    make_case(
        CaseKind.RECONSIDERATION,
        defendant=world.orgs["州人社局"],
        concluded_on=D(2021, 6, 1),
        outcome=ReconsiderationOutcome.CONFIRMED_ILLEGAL,
    )

    html = logged_in("rol_pref").get(reverse("cases:list")).content.decode()

    assert '撤销 <span class="badge text-bg-danger">败诉</span>' in html
    assert '确认违法 <span class="badge text-bg-danger">被纠错</span>' in html


def test_an_invalid_filter_shows_a_notice_and_the_unfiltered_list(world: World) -> None:
    make_case(number="（2021）黔2701行初1号", defendant=world.orgs["都匀自然资源局"])

    response = logged_in("rol_pref").get(reverse("cases:list"), {"date_from": "2021-02-30", "kind": "x"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "筛选条件“日期起”的值无效，已忽略" in html
    assert "筛选条件“类别”的值无效，已忽略" in html
    assert "（2021）黔2701行初1号" in html


def test_the_export_button_carries_the_lists_filters(world: World) -> None:
    html = logged_in("rol_pref").get(reverse("cases:list"), {"kind": "litigation", "q": "张"}).content.decode()

    assert f'href="{reverse("cases:export")}?kind=litigation&amp;q=%E5%BC%A0"' in html


def test_a_drill_down_from_the_figures_shows_its_cases_and_a_banner(world: World) -> None:
    make_case(
        number="（2021）黔2701行初7号",
        defendant=world.orgs["都匀自然资源局"],
        concluded_on=D(2021, 6, 1),
        outcome=LitigationOutcome.REVOKED,
    )
    make_case(
        number="（2021）黔2701行初8号",
        defendant=world.orgs["都匀自然资源局"],
        concluded_on=D(2021, 6, 1),
        outcome=LitigationOutcome.CLAIM_DISMISSED,
    )
    make_case(
        number="（2022）黔2701行初9号",
        defendant=world.orgs["都匀自然资源局"],
        concluded_on=D(2022, 6, 1),
        outcome=LitigationOutcome.REVOKED,
    )

    response = logged_in("rol_pref").get(
        reverse("cases:list"),
        {"figure": "litigation.lost", "from": "2021-01-01", "to": "2021-12-31", "region": world.regions["都匀市"].pk},
    )

    html = response.content.decode()
    assert "统计口径：" in html
    assert "，2021-01-01 至 2021-12-31，共 1 件" in html
    assert "（2021）黔2701行初7号" in html
    assert "（2021）黔2701行初8号" not in html
    assert "（2022）黔2701行初9号" not in html
    assert f'href="/cases/?region={world.regions["都匀市"].pk}">清除统计口径' in html


# --- detail ---------------------------------------------------------------------------------------------------


def test_the_detail_page_shows_the_sections_the_chain_and_the_timeline(world: World) -> None:
    o = world.orgs
    user = world.users["rol_pref"]
    recon = register_case(
        {
            "kind": CaseKind.RECONSIDERATION,
            "number": "黔南复〔2021〕30号",
            "reconsideration_body": o["州司法局"],
            "defendant": o["都匀自然资源局"],
            "received_on": D(2021, 1, 5),
        },
        by=user,
    )
    first = register_case(
        {
            "kind": CaseKind.LITIGATION,
            "number": "（2021）黔2701行初30号",
            "instance": "first",
            "court": o["都匀法院"],
            "defendant": o["都匀自然资源局"],
            "filed_on": D(2021, 4, 1),
            "predecessor": recon,
        },
        by=user,
    )
    update_case(first, {"plaintiffs": "张三"}, by=user)

    html = logged_in("court_duyun").get(reverse("cases:detail", args=[first.pk])).content.decode()

    for section in ("基本信息", "当事人", "关键日期", "结案情况", "出庭应诉", "案件链", "案件时间线"):
        assert section in html
    # The court does not see the reconsideration case: its number is shown, not linked.
    assert "黔南复〔2021〕30号" in html
    assert f'href="/cases/{recon.pk}/"' not in html
    assert "登记案件 （2021）黔2701行初30号" in html
    assert "rol_pref" in html
    assert "（空）</span> → <strong>张三</strong>" in html
    assert "编辑</a>" in html


def registered_at_duyun(world: World, number: str) -> Case:
    """A first-instance case at 都匀法院 against 都匀自然资源局, registered by the prefecture's 依法治办."""
    return register_case(
        {
            "kind": CaseKind.LITIGATION,
            "number": number,
            "instance": "first",
            "court": world.orgs["都匀法院"],
            "defendant": world.orgs["都匀自然资源局"],
            "filed_on": D(2021, 4, 1),
        },
        by=world.users["rol_pref"],
    )


def test_the_timeline_shows_local_time(world: World) -> None:
    case = registered_at_duyun(world, "（2021）黔2701行初31号")
    event = case_events(case)[0]
    local = event.at.astimezone(datetime.timezone(datetime.timedelta(hours=8)))

    html = logged_in("rol_pref").get(reverse("cases:detail", args=[case.pk])).content.decode()

    assert local.strftime("%Y-%m-%d %H:%M") in html


def test_a_long_history_shows_its_latest_twenty_events_and_the_whole_timeline_one_click_away(world: World) -> None:
    """A case edited every day (issue 19: the load run's cases reached hundreds of events, each showing its whole
    备注 before and after) shows its latest 20 events; the timeline page has all of them, paged, and is audited as a
    read of the case."""
    from fuyuan.audit.models import AuditRecord

    user = world.users["rol_pref"]
    case = registered_at_duyun(world, "（2021）黔2701行初32号")
    for i in range(1, 65):
        case = update_case(case, {"note": f"第{i}次补充"}, by=user)
    client = logged_in("court_duyun")

    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()

    assert html.count("修改案件信息") == 20
    assert "<strong>第64次补充</strong>" in html and "<strong>第45次补充</strong>" in html
    assert "<strong>第44次补充</strong>" not in html and "登记案件" not in html
    assert "较早的 45 条记录未显示" in html
    assert f'href="{reverse("cases:timeline", args=[case.pk])}"' in html

    reads = AuditRecord.objects.filter(kind="read", target_id=str(case.pk))
    before = reads.count()
    first = client.get(reverse("cases:timeline", args=[case.pk])).content.decode()
    second = client.get(reverse("cases:timeline", args=[case.pk]), {"page": 2}).content.decode()

    assert "登记案件 （2021）黔2701行初32号" in first and first.count("修改案件信息") == 49
    assert second.count("修改案件信息") == 15 and "<strong>第64次补充</strong>" in second
    assert "共 65 条记录" in first
    assert reads.count() == before + 2  # each page of the timeline is a read of the case, audited like its page


def test_the_timeline_page_of_a_case_outside_the_scope_is_not_found(world: World) -> None:
    case = make_case(defendant=world.orgs["都匀自然资源局"], court=world.orgs["都匀法院"])

    assert logged_in("agency_fuquan").get(reverse("cases:timeline", args=[case.pk])).status_code == 404


def case_events(case: Case):  # type: ignore[no-untyped-def]
    from fuyuan.core.timeline import timeline

    return list(timeline(case))


def test_a_reader_without_the_right_to_edit_sees_no_edit_button(world: World) -> None:
    case = make_case(defendant=world.orgs["都匀自然资源局"])

    html = logged_in("leader_pref").get(reverse("cases:detail", args=[case.pk])).content.decode()

    assert "编辑</a>" not in html


# --- create and edit ------------------------------------------------------------------------------------------


def test_creating_a_kind_the_user_may_not_register_is_forbidden(world: World) -> None:
    assert logged_in("court_duyun").get(reverse("cases:create", args=["reconsideration"])).status_code == 403
    assert logged_in("agency_duyun").get(reverse("cases:create", args=["litigation"])).status_code == 403
    assert logged_in("rol_pref").get(reverse("cases:create", args=["criminal"])).status_code == 404


def test_a_court_liaison_registers_a_case_at_their_court(world: World) -> None:
    client = logged_in("court_duyun")

    response = client.post(
        reverse("cases:create", args=["litigation"]),
        {
            "number": "（2022）黔2701行初40号",
            "instance": "first",
            "court": world.orgs["福泉法院"].pk,
            "defendant": world.orgs["都匀自然资源局"].pk,
            "filed_on": "2022-03-01",
            "plaintiffs": "张三",
        },
    )

    case = Case.objects.get(number="（2022）黔2701行初40号")
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.court == world.orgs["都匀法院"]
    assert case.region == world.regions["都匀市"]
    assert "已登记案件 （2022）黔2701行初40号" in client.get(response["Location"]).content.decode()


def test_an_invalid_form_is_shown_again_with_chinese_messages_and_nothing_saved(world: World) -> None:
    response = logged_in("rol_pref").post(
        reverse("cases:create", args=["reconsideration"]),
        {
            "number": "黔南复〔2022〕41号",
            "received_on": "2022-03-01",
            "concluded_on": "2022-02-01",
            "outcome": "upheld",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "请修改下列标红的项目后再保存。" in html
    assert "请填写复议机构" in html
    assert "请填写被申请人" in html
    assert "结案日期（2022-02-01）不能早于收案日期（2022-03-01）" in html
    assert not Case.objects.exists()


def test_the_edit_form_shows_the_cases_values_and_saves_a_change(world: World) -> None:
    case = make_case(
        number="（2021）黔2701行初42号", defendant=world.orgs["都匀自然资源局"], court=world.orgs["都匀法院"]
    )
    client = logged_in("rol_duyun")

    form_html = client.get(reverse("cases:edit", args=[case.pk])).content.decode()
    response = client.post(
        reverse("cases:edit", args=[case.pk]),
        {
            "number": case.number,
            "instance": "first",
            "court": world.orgs["都匀法院"].pk,
            "defendant": world.orgs["都匀自然资源局"].pk,
            "filed_on": "2021-03-01",
            "concluded_on": "2021-09-01",
            "outcome": "confirmed_illegal",
            "expected_version": "1",
        },
    )

    assert 'value="（2021）黔2701行初42号"' in form_html
    assert 'value="2021-03-01"' in form_html
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.outcome == LitigationOutcome.CONFIRMED_ILLEGAL
    assert case.version == 2
    assert "已保存案件" in client.get(response["Location"]).content.decode()


def test_a_county_office_saves_its_case_although_the_court_and_the_earlier_case_are_outside_its_county(
    world: World,
) -> None:
    # 都匀市's 依法治办 edits an appeal heard by the 州中院 (a court of the prefecture, not of 都匀市), whose
    # first-instance case is at 福泉市: both stay as they are, though neither is in 都匀市's choices.
    first = make_case(number="（2021）黔2702行初7号", defendant=world.orgs["福泉公安局"], court=world.orgs["福泉法院"])
    appeal = make_case(
        number="（2021）黔27行终3号",
        defendant=world.orgs["都匀自然资源局"],
        court=world.orgs["州中院"],
        instance="second",
        predecessor=first,
    )
    client = logged_in("rol_duyun")

    response = client.post(
        reverse("cases:edit", args=[appeal.pk]),
        {
            "number": appeal.number,
            "instance": "second",
            "court": world.orgs["州中院"].pk,
            "defendant": world.orgs["都匀自然资源局"].pk,
            "predecessor_number": first.number,
            "filed_on": "2021-11-01",
            "note": "补充备注",
            "expected_version": "1",
        },
    )

    assert response.status_code == 302, response.content.decode()[-2000:]
    appeal.refresh_from_db()
    assert appeal.note == "补充备注" and appeal.court == world.orgs["州中院"] and appeal.predecessor == first
