"""The coordination centre's pages as each persona meets them: the queue, intake, the dispute file and its actions,
我的协调任务 and the party's online application (SPEC §6.2)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fuyuan.cases.choices import CaseKind
from fuyuan.cases.models import Case
from fuyuan.core.models import Event
from fuyuan.disputes.choices import AssignmentRole, DisputeOutcome, DisputeState, Source, WithdrawalReason
from fuyuan.disputes.models import Assignment, Conflict, Dispute
from fuyuan.disputes.workflow import (
    Choice,
    DisputeError,
    accept_dispute,
    assign_coordinators,
    conclude_mediated,
    conclude_withdrawn,
    release_coordinator,
)
from tests.disputes.consent import WRITTEN
from tests.factories import PASSWORD, World, local_today, make_case, make_coordinator, make_dispute

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]
ID_NUMBER = "11010519491231002X"  # a valid GB 11643 number (check character X)


def logged_in(persona: str) -> Client:
    client = Client()
    assert client.login(username=persona, password=PASSWORD)
    return client


def html(response: Any) -> str:
    return response.content.decode()


def days(n: int) -> datetime.date:
    return local_today() + datetime.timedelta(days=n)


def pref_dispute(world: World, **values: Any) -> Dispute:
    """A dispute at 州中心 against 都匀市自然资源局, registered by the centre's staff."""
    o = world.orgs
    values.setdefault("matter", "采伐林木被罚款，林权证被注销")
    return make_dispute(o["州中心"], agency=o["都匀自然资源局"], by=world.users["centre"], **values)


def expert(world: World, name: str = "李专家", **kw: Any) -> Any:
    """The 州 pool's forestry expert with the ``coordinator`` login."""
    kw.setdefault("user", world.users["coordinator"])
    return make_coordinator(name, org=world.orgs["州司法局"], domains=["forestry"], **kw)


def assigned(world: World, **values: Any) -> tuple[Dispute, Any]:
    """A dispute accepted and assigned to the expert as lead."""
    d = pref_dispute(world, **values)
    centre = world.users["centre"]
    accept_dispute(d, by=centre, consent=WRITTEN)
    c = expert(world)
    d = assign_coordinators(d, [Choice(c, AssignmentRole.LEAD)], by=centre)
    return d, c


def detail_url(d: Dispute, action: str = "") -> str:
    return reverse(f"disputes:{action or 'detail'}", args=[d.pk])


# --- who may see what -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["centre", "rol_pref", "rol_duyun", "leader_pref"])
def test_the_queue_opens_for_centre_staff_the_office_and_leaders(world: World, persona: str) -> None:
    d = pref_dispute(world)
    response = logged_in(persona).get(reverse("disputes:queue"))
    assert response.status_code == 200
    assert d.number in html(response)


@pytest.mark.parametrize(
    "persona", ["agency_duyun", "court_duyun", "recon_pref", "coordinator", "discipline", "sysadmin", "auditadmin"]
)
def test_the_queue_is_forbidden_to_other_roles(world: World, persona: str) -> None:
    assert logged_in(persona).get(reverse("disputes:queue")).status_code == 403


def test_the_queue_without_login_sends_to_the_login_page(world: World) -> None:
    response = Client().get(reverse("disputes:queue"))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_centre_staff_see_only_their_centres_disputes(world: World) -> None:
    d = pref_dispute(world)
    other = make_dispute(world.orgs["都匀中心"], agency=world.orgs["都匀自然资源局"], applicants="王五")
    page = html(logged_in("centre_duyun").get(reverse("disputes:queue")))
    assert other.number in page
    assert d.number not in page


def test_a_county_office_sees_the_disputes_of_its_county_only(world: World) -> None:
    duyun = pref_dispute(world)
    fuquan = make_dispute(world.orgs["州中心"], agency=world.orgs["福泉公安局"], applicants="赵六")
    page = html(logged_in("rol_duyun").get(reverse("disputes:queue")))
    assert duyun.number in page
    assert fuquan.number not in page


@pytest.mark.parametrize("persona", ["centre_duyun", "coordinator", "agency_fuquan", "court_duyun", "sysadmin"])
def test_a_dispute_outside_ones_scope_is_not_found(world: World, persona: str) -> None:
    d = pref_dispute(world)
    expert(world)  # in the pool, but not assigned
    assert logged_in(persona).get(detail_url(d)).status_code == 404


@pytest.mark.parametrize("persona", ["centre", "rol_pref", "leader_pref", "agency_duyun"])
def test_the_dispute_file_opens_for_those_who_see_the_dispute(world: World, persona: str) -> None:
    d = pref_dispute(world)
    response = logged_in(persona).get(detail_url(d))
    assert response.status_code == 200
    assert d.number in html(response)


def test_a_coordinator_sees_the_file_while_assigned_and_not_after_leaving(world: World) -> None:
    d, _ = assigned(world)
    client = logged_in("coordinator")
    assert client.get(detail_url(d)).status_code == 200
    release_coordinator(Assignment.objects.get(dispute=d), by=world.users["centre"])
    assert client.get(detail_url(d)).status_code == 404


def test_id_number_and_phone_are_masked_for_everyone_and_only_the_centre_may_reveal_them(world: World) -> None:
    d = pref_dispute(world, applicant_phone="13912341234", applicant_id_number=ID_NUMBER)
    centre = html(logged_in("centre").get(detail_url(d)))
    assert "139****1234" in centre and "13912341234" not in centre and ID_NUMBER not in centre
    assert "查看完整号码</button>" in centre
    masked = html(logged_in("rol_pref").get(detail_url(d)))
    assert "139****1234" in masked and "1101**********002X" in masked
    assert "13912341234" not in masked and ID_NUMBER not in masked


def test_the_queue_never_shows_id_numbers_or_phones(world: World) -> None:
    pref_dispute(world, applicant_phone="13912341234", applicant_id_number=ID_NUMBER)
    page = html(logged_in("centre").get(reverse("disputes:queue")))
    assert "13912341234" not in page and ID_NUMBER not in page


def test_the_navigation_offers_the_queue_and_the_coordinators_tasks_by_role(world: World) -> None:
    queue_link = f'href="{reverse("disputes:queue")}">协调化解</a>'
    mine_link = f'href="{reverse("disputes:mine")}">我的协调任务</a>'
    for persona in ("centre", "rol_duyun", "leader_pref"):
        page = html(logged_in(persona).get(reverse("deadlines:calculator")))
        assert queue_link in page and mine_link not in page
    page = html(logged_in("coordinator").get(reverse("deadlines:calculator")))
    assert mine_link in page and queue_link not in page
    page = html(logged_in("agency_duyun").get(reverse("deadlines:calculator")))
    assert queue_link not in page and mine_link not in page


# --- the queue: filters, counts, paging, queries ----------------------------------------------------------------


def numbers(response: Any) -> set[str]:
    page = html(response)
    return {d.number for d in Dispute.objects.all() if d.number in page}


def test_the_queue_filters_by_state_open_source_and_domain(world: World) -> None:
    received = pref_dispute(world, applicants="甲")
    accepted = pref_dispute(world, applicants="乙", source=Source.PETITION, matter="工伤认定不服")
    accept_dispute(accepted, by=world.users["centre"], consent=WRITTEN)
    client = logged_in("centre")
    url = reverse("disputes:queue")
    assert numbers(client.get(url, {"state": "received"})) == {received.number}
    assert numbers(client.get(url, {"state": "open"})) == {accepted.number}
    assert numbers(client.get(url, {"source": "petition"})) == {accepted.number}
    assert numbers(client.get(url, {"domain": "forestry"})) == {received.number}


def test_the_queue_filters_by_time_limit_overdue_and_soon(world: World) -> None:
    centre = world.users["centre"]
    overdue = pref_dispute(world, applicants="甲", received_on=days(-41))
    accept_dispute(overdue, by=centre, on=days(-40), consent=WRITTEN)
    soon = pref_dispute(world, applicants="乙", received_on=days(-30))
    accept_dispute(soon, by=centre, on=days(-29), consent=WRITTEN)
    later = pref_dispute(world, applicants="丙")
    accept_dispute(later, by=centre, consent=WRITTEN)
    client = logged_in("centre")
    url = reverse("disputes:queue")
    assert numbers(client.get(url, {"due": "overdue"})) == {overdue.number}
    soon_due = Dispute.objects.get(pk=soon.pk).mediation_due_on
    assert soon_due is not None and local_today() <= soon_due <= days(3)
    assert numbers(client.get(url, {"due": "soon"})) == {soon.number}
    page = html(client.get(url))
    assert "已逾期" in page


def test_the_queue_filters_by_coordinator_centre_and_resolved_outcome_in_a_closing_window(world: World) -> None:
    centre = world.users["centre"]
    mediated, coordinator = assigned(world, applicants="甲")
    conclude_mediated(mediated, terms="一、重新核定补偿", by=centre)
    corrected = pref_dispute(world, applicants="乙")
    accept_dispute(corrected, by=centre, consent=WRITTEN)
    conclude_withdrawn(corrected, reason=WithdrawalReason.AGENCY_CORRECTED, by=centre)
    other = pref_dispute(world, applicants="丙")
    accept_dispute(other, by=centre, consent=WRITTEN)
    conclude_withdrawn(other, reason=WithdrawalReason.OTHER, by=centre)
    client = logged_in("rol_pref")
    url = reverse("disputes:queue")
    window = {"closed_from": local_today().isoformat(), "closed_to": local_today().isoformat()}
    assert numbers(client.get(url, {"outcome": "resolved", **window})) == {mediated.number, corrected.number}
    assert numbers(client.get(url, {"outcome": "mediated"})) == {mediated.number}
    assert numbers(client.get(url, {"outcome": "closed_after_mediation"})) == {
        mediated.number,
        corrected.number,
        other.number,
    }
    assert numbers(client.get(url, {"outcome": "resolved", "closed_to": days(-1).isoformat()})) == set()
    assert numbers(client.get(url, {"coordinator": coordinator.pk})) == {mediated.number}
    assert numbers(client.get(url, {"centre": world.orgs["州中心"].pk})) == {
        mediated.number,
        corrected.number,
        other.number,
    }


def test_an_invalid_filter_is_ignored_and_said_so(world: World) -> None:
    d = pref_dispute(world)
    response = logged_in("centre").get(reverse("disputes:queue"), {"state": "nonsense", "closed_from": "2026-13-40"})
    page = html(response)
    assert "筛选条件“状态”无效，已忽略" in page
    assert "筛选条件“办结日期自”无效，已忽略" in page
    assert d.number in page


def test_the_queue_counts_disputes_per_state_under_the_other_filters(world: World) -> None:
    pref_dispute(world, applicants="甲")
    pref_dispute(world, applicants="乙")
    accept_dispute(
        pref_dispute(world, applicants="丙", source=Source.HOTLINE), by=world.users["centre"], consent=WRITTEN
    )
    client = logged_in("centre")
    counts = html(client.get(reverse("disputes:queue")))
    assert '待受理 <span class="badge text-bg-secondary">2</span>' in counts
    assert '办理中 <span class="badge text-bg-secondary">1</span>' in counts
    hotline = html(client.get(reverse("disputes:queue"), {"source": "hotline"}))
    assert '待受理 <span class="badge text-bg-secondary">0</span>' in hotline


def test_the_queue_shows_the_team_lead_first_and_the_badges(world: World) -> None:
    d, _ = assigned(world, applicants="张三、李四、王五、赵六、钱七")
    member = make_coordinator("周律师", org=world.orgs["州司法局"])
    assign_coordinators(d, [Choice(member)], by=world.users["centre"])
    page = html(logged_in("centre").get(reverse("disputes:queue")))
    assert '<strong title="牵头协调员">李专家</strong>、周律师' in page
    assert "群体性 5人" in page
    assert "专家评审中" in page


@pytest.mark.parametrize("rows", [3, 60])
def test_the_queue_runs_a_bounded_number_of_queries_and_pages_by_fifty(
    world: World, rows: int, django_assert_max_num_queries: Any
) -> None:
    centre = world.users["centre"]
    c = expert(world, max_load=50)
    for i in range(rows):
        d = pref_dispute(world, applicants=f"申请人{i}")
        if i % 2:
            accept_dispute(d, by=centre, consent=WRITTEN)
            assign_coordinators(d, [Choice(c, AssignmentRole.LEAD)], by=centre)
    client = logged_in("centre")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("disputes:queue"))
    assert html(response).count('data-testid="queue-row"') == min(rows, 50)
    if rows > 50:
        second = client.get(reverse("disputes:queue"), {"page": 2})
        assert html(second).count('data-testid="queue-row"') == rows - 50


def test_an_htmx_request_gets_only_the_results(world: World) -> None:
    pref_dispute(world)
    response = logged_in("centre").get(reverse("disputes:queue"), HTTP_HX_REQUEST="true")
    page = html(response)
    assert 'data-testid="queue"' in page
    assert "<nav" not in page.split('data-testid="state-counts"')[0]
    assert "<html" not in page


# --- intake ------------------------------------------------------------------------------------------------------


def intake(world: World, **values: Any) -> dict[str, Any]:
    data = {
        "source": Source.WINDOW,
        "received_on": local_today().isoformat(),
        "applicants": "张三",
        "applicant_id_number": ID_NUMBER,
        "applicant_phone": "13912341234",
        "applicant_address": "都匀市文峰路1号",
        "agency": world.orgs["都匀自然资源局"].pk,
        "matter": "采伐林木被罚款，林权证被注销",
        "claims": "按新标准补偿",
        "amount": "120000",
    }
    data.update(values)
    return data


@pytest.mark.parametrize("persona", ["rol_pref", "coordinator", "agency_duyun", "leader_pref"])
def test_only_centre_staff_register_disputes(world: World, persona: str) -> None:
    client = logged_in(persona)
    assert client.get(reverse("disputes:new")).status_code == 403
    assert client.post(reverse("disputes:new"), intake(world)).status_code == 403
    assert not Dispute.objects.exists()


def test_staff_register_a_window_application_and_land_on_its_file(world: World) -> None:
    client = logged_in("centre")
    response = client.post(reverse("disputes:new"), intake(world))
    d = Dispute.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(d)
    assert d.source == Source.WINDOW and d.registered_by == world.users["centre"]
    assert d.domain == "forestry"  # the system's suggestion is applied and shown
    page = html(client.get(detail_url(d), follow=True))
    assert f"已登记争议 {d.number}" in page
    assert "系统建议" in page and "含“林木”" in page


def test_a_referral_needs_the_referring_court(world: World) -> None:
    client = logged_in("centre")
    response = client.post(reverse("disputes:new"), intake(world, source=Source.COURT_REFERRAL))
    assert "法院诉前委派的争议请选择委派/转来单位" in html(response)
    response = client.post(
        reverse("disputes:new"), intake(world, source=Source.COURT_REFERRAL, referred_by=world.orgs["州司法局"].pk)
    )
    assert "委派/转来单位应为法院" in html(response)
    response = client.post(
        reverse("disputes:new"),
        intake(
            world, source=Source.COURT_REFERRAL, referred_by=world.orgs["都匀法院"].pk, referral_number="诉前委派1号"
        ),
    )
    assert response.status_code == 302
    assert Dispute.objects.get().referred_by == world.orgs["都匀法院"]


def test_intake_refuses_a_bad_id_number_a_future_date_and_an_agency_outside_the_centre(world: World) -> None:
    client = logged_in("centre_duyun")
    response = client.post(
        reverse("disputes:new"),
        intake(
            world,
            applicant_id_number="110105194912310021",
            received_on=days(1).isoformat(),
            agency=world.orgs["福泉公安局"].pk,
        ),
    )
    page = html(response)
    assert "身份证号码不正确" in page
    assert "收件日期不能晚于今天" in page
    assert "所选行政机关不在本中心受理范围内" in page
    assert not Dispute.objects.exists()


def test_a_possible_duplicate_is_shown_before_saving_and_can_be_merged(world: World) -> None:
    first = pref_dispute(world)
    client = logged_in("centre")
    response = client.post(reverse("disputes:new"), intake(world))
    page = html(response)
    assert "登记前核对" in page
    assert f"并入已有争议 {first.number}" in page
    assert Dispute.objects.count() == 1
    response = client.post(reverse("disputes:new"), intake(world, decision=f"merge:{first.pk}"))
    assert response["Location"] == detail_url(first)
    assert Dispute.objects.count() == 1
    assert Event.objects.filter(object_id=first.pk, action="duplicate_application").exists()


def test_staff_may_still_register_a_possible_duplicate_as_new(world: World) -> None:
    pref_dispute(world)
    response = logged_in("centre").post(reverse("disputes:new"), intake(world, decision="new"))
    assert response.status_code == 302
    assert Dispute.objects.count() == 2


def test_a_merge_into_a_dispute_that_is_not_a_duplicate_is_refused(world: World) -> None:
    pref_dispute(world)
    unrelated = make_dispute(world.orgs["州中心"], agency=world.orgs["福泉公安局"], applicants="赵六")
    response = logged_in("centre").post(reverse("disputes:new"), intake(world, decision=f"merge:{unrelated.pk}"))
    assert "所选的已有争议不是本件的可能重复件" in html(response)
    assert not Event.objects.filter(object_id=unrelated.pk, action="duplicate_application").exists()


def test_a_related_case_is_offered_at_intake_and_linked_after_registration(world: World) -> None:
    case = make_case(defendant=world.orgs["都匀自然资源局"], plaintiffs="张三", number="（2026）黔2701行初9号")
    client = logged_in("centre")
    response = client.post(reverse("disputes:new"), intake(world))
    assert "（2026）黔2701行初9号" in html(response)
    response = client.post(reverse("disputes:new"), intake(world, decision="new", link_case=case.pk))
    assert response.status_code == 302
    assert Dispute.objects.get().case == case


# --- the dispute file's actions ---------------------------------------------------------------------------------


def test_staff_confirm_or_change_the_classification(world: World) -> None:
    d = pref_dispute(world)
    data = {"classify-domain": "land_expropriation", "classify-act_type": "levy", "classify-urgency": "urgent"}
    response = logged_in("centre").post(detail_url(d, "classify"), {**data, "classify-group_size": "30"})
    assert response.status_code == 302
    d.refresh_from_db()
    assert (d.domain, d.urgency, d.group_size) == ("land_expropriation", "urgent", 30)
    assert d.classified_at is not None


def test_a_classification_with_no_people_is_refused_on_the_form(world: World) -> None:
    d = pref_dispute(world)
    response = logged_in("centre").post(
        detail_url(d, "classify"), {"classify-urgency": "normal", "classify-group_size": "0"}
    )
    assert response.status_code == 200
    assert "涉及人数至少为 1" in html(response)


def test_staff_link_a_related_case_and_it_shows_on_the_file(world: World) -> None:
    case = make_case(defendant=world.orgs["都匀自然资源局"], plaintiffs="张三", number="（2026）黔2701行初7号")
    d = pref_dispute(world)
    client = logged_in("centre")
    assert "（2026）黔2701行初7号" in html(client.get(detail_url(d)))
    assert client.post(detail_url(d, "link"), {"link-case": case.pk}).status_code == 302
    assert Dispute.objects.get(pk=d.pk).case == case
    # The 依法治办 and the centre's staff (the case is linked to their dispute) get a link to the case, which
    # opens for both.
    for persona in ("rol_pref", "centre"):
        assert reverse("cases:detail", args=[case.pk]) in html(logged_in(persona).get(detail_url(d)))
        assert logged_in(persona).get(reverse("cases:detail", args=[case.pk])).status_code == 200


CONSENT_POST = {"accept-consent_by": "张三", "accept-consent_on": "2026-03-02", "accept-consent_way": "written"}


def test_staff_accept_with_the_partys_consent_and_the_thirty_day_limit_shows(world: World) -> None:
    d = pref_dispute(world)
    client = logged_in("centre")
    response = client.post(detail_url(d, "accept"), CONSENT_POST, follow=True)
    d.refresh_from_db()
    assert d.state == DisputeState.ACCEPTED
    page = html(response)
    assert f"已受理，化解期限至 {d.mediation_due_on.isoformat()}" in page
    assert "张三 · 2026-03-02 · 书面签字同意" in page
    assert (d.consent_recorded_by, d.consent_way) == (world.users["centre"], "written")


def test_a_dispute_is_not_accepted_without_the_partys_consent_to_mediation(world: World) -> None:
    d = pref_dispute(world)
    response = logged_in("centre").post(detail_url(d, "accept"), {"accept-consent_by": ""})
    assert "请填写同意调解的当事人" in html(response)
    d.refresh_from_db()
    assert (d.state, d.consent_on) == (DisputeState.RECEIVED, None)
    with pytest.raises(DisputeError, match="未记录当事人同意调解，不能受理"):
        accept_dispute(d, by=world.users["centre"])
    assert Dispute.objects.get(pk=d.pk).state == DisputeState.RECEIVED


def test_a_consent_dated_in_the_future_is_refused(world: World) -> None:
    d = pref_dispute(world)
    future = {**CONSENT_POST, "accept-consent_on": days(3).isoformat()}
    response = logged_in("centre").post(detail_url(d, "accept"), future)
    assert "同意调解日期不能晚于今天" in html(response)
    assert Dispute.objects.get(pk=d.pk).state == DisputeState.RECEIVED


def test_accepting_twice_says_why_next_to_the_form(world: World) -> None:
    d = pref_dispute(world)
    client = logged_in("centre")
    client.post(detail_url(d, "accept"), CONSENT_POST)
    response = client.post(detail_url(d, "accept"), CONSENT_POST)
    assert response.status_code == 200
    assert "当前状态为“已受理·待指派”，不能受理" in html(response)


def test_a_rejection_needs_a_reason(world: World) -> None:
    d = pref_dispute(world)
    client = logged_in("centre")
    assert "请填写不予受理理由" in html(client.post(detail_url(d, "reject"), {"reject-reason": ""}))
    client.post(detail_url(d, "reject"), {"reject-reason": "不属于行政争议"})
    d.refresh_from_db()
    assert d.outcome == DisputeOutcome.REJECTED and d.rejection_reason == "不属于行政争议"


@pytest.mark.parametrize("persona", ["rol_pref", "leader_pref", "agency_duyun", "coordinator"])
def test_actions_of_the_centre_are_forbidden_to_others_who_see_the_file(world: World, persona: str) -> None:
    d, _ = assigned(world)
    client = logged_in(persona)
    assert client.post(detail_url(d, "mediated"), {"mediated-terms": "一、撤销"}).status_code == 403
    assert (
        client.post(detail_url(d, "classify"), {"classify-urgency": "normal", "classify-group_size": "1"}).status_code
        == 403
    )
    assert Dispute.objects.get(pk=d.pk).state == DisputeState.ASSIGNED


def test_the_file_proposes_coordinators_with_score_and_reasons_and_assigns_the_lead(world: World) -> None:
    d = pref_dispute(world)
    centre = world.users["centre"]
    accept_dispute(d, by=centre, consent=WRITTEN)
    top = expert(world)
    other = make_coordinator("周律师", org=world.orgs["州司法局"])
    client = logged_in("centre")
    page = html(client.get(detail_url(d)))
    assert "擅长林业" in page and page.index("李专家") < page.index("周律师")
    response = client.post(
        detail_url(d, "assign"),
        {"assign-coordinator": [top.pk, other.pk], f"role_{top.pk}": "lead", f"role_{other.pk}": "member"},
    )
    assert response.status_code == 302
    lead = Assignment.objects.get(dispute=d, role=AssignmentRole.LEAD)
    assert lead.coordinator == top and "擅长林业" in lead.reason
    assert Dispute.objects.get(pk=d.pk).state == DisputeState.ASSIGNED


def test_assigning_nobody_or_two_leads_is_refused_on_the_form(world: World) -> None:
    d = pref_dispute(world)
    accept_dispute(d, by=world.users["centre"], consent=WRITTEN)
    a, b = expert(world), make_coordinator("周律师", org=world.orgs["州司法局"])
    client = logged_in("centre")
    assert "请至少选择一名协调员" in html(client.post(detail_url(d, "assign"), {}))
    response = client.post(
        detail_url(d, "assign"), {"assign-coordinator": [a.pk, b.pk], f"role_{a.pk}": "lead", f"role_{b.pk}": "lead"}
    )
    assert "每个专班只能有一名牵头协调员" in html(response)
    assert not Assignment.objects.exists()


def test_a_conflicted_coordinator_is_not_proposed_and_is_refused_if_forced(world: World) -> None:
    d = pref_dispute(world)
    accept_dispute(d, by=world.users["centre"], consent=WRITTEN)
    c = expert(world)
    Conflict.objects.create(coordinator=c, organisation=world.orgs["都匀自然资源局"], reason="曾任该局法律顾问")
    client = logged_in("centre")
    assert 'data-testid="proposal"' not in html(client.get(detail_url(d)))
    response = client.post(detail_url(d, "assign"), {"assign-coordinator": [c.pk]})
    assert "李专家 已申报回避（曾任该局法律顾问），不能指派" in html(response)


def test_staff_release_a_coordinator_who_stays_greyed_on_the_team(world: World) -> None:
    d, _ = assigned(world)
    client = logged_in("centre")
    a = Assignment.objects.get(dispute=d)
    assert client.post(reverse("disputes:release", args=[d.pk, a.pk])).status_code == 302
    page = html(client.get(detail_url(d)))
    assert 'data-testid="released-member"' in page and "<s>李专家</s>" in page
    again = client.post(reverse("disputes:release", args=[d.pk, a.pk]))
    assert "李专家 已退出本件专班" in html(again)


def test_the_assigned_coordinator_records_the_review_then_the_plan(world: World) -> None:
    d, _ = assigned(world)
    client = logged_in("coordinator")
    assert "请填写专家评审意见" in html(client.post(detail_url(d, "review"), {"review-opinion": " "}))
    response = client.post(detail_url(d, "review"), {"review-opinion": "补偿标准适用错误"}, follow=True)
    assert "已登记专家评审意见；化解方案期限至" in html(response)
    response = client.post(detail_url(d, "plan"), {"plan-plan": "由机关重新核定补偿"}, follow=True)
    assert "已登记化解方案" in html(response)
    assert Dispute.objects.get(pk=d.pk).state == DisputeState.PLANNED


def meeting_data(**extra: Any) -> dict[str, Any]:
    # Two hours ago, but today: a meeting cannot precede the 专班 formed today (at 01:00 that is 00:00).
    now = timezone.localtime()
    held = max(now - datetime.timedelta(hours=2), now.replace(hour=0, minute=0, second=0, microsecond=0))
    data = {
        "meeting-kind": "four_party",
        "meeting-held_at": held.strftime("%Y-%m-%dT%H:%M"),
        "meeting-place": "州中心第一会谈室",
        "meeting-minutes": "各方同意重新核定补偿",
        "meeting-next_steps": "机关十日内出具新方案",
        "p_role": ["judge", "justice_expert", "agency_head", "party"],
        "p_name": ["陈法官", "吴专家", "王局长", "张三"],
        "p_org": ["都匀市人民法院", "州司法局", "都匀市自然资源局", ""],
    }
    data.update(extra)
    return data


def test_a_four_party_meeting_is_recorded_with_its_participants(world: World) -> None:
    d, _ = assigned(world)
    client = logged_in("coordinator")
    page = html(client.get(detail_url(d)))
    for role in ("法官", "司法局专家", "行政机关负责人", "当事人"):
        assert f"selected>{role}</option>" in page
    response = client.post(detail_url(d, "meeting"), meeting_data(), follow=True)
    page = html(response)
    assert "已登记四方会谈（4 人参加）" in page
    assert "法官 陈法官（都匀市人民法院）" in page and "当事人 张三" in page
    assert "机关十日内出具新方案" in page


def test_a_meeting_in_the_future_or_without_roles_is_refused_and_the_rows_stay(world: World) -> None:
    d, _ = assigned(world)
    client = logged_in("coordinator")
    future = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    page = html(client.post(detail_url(d, "meeting"), meeting_data(**{"meeting-held_at": future})))
    assert "会谈时间不能晚于现在" in page
    assert 'value="陈法官"' in page
    page = html(
        client.post(detail_url(d, "meeting"), meeting_data(p_role=["", "justice_expert", "agency_head", "party"]))
    )
    assert "请为每位填写了姓名的人员选择身份" in page
    page = html(client.post(detail_url(d, "meeting"), meeting_data(p_name=["", "", "", ""])))
    assert "请至少填写一名参会人员" in page
    assert not d.meetings.exists()


def test_a_meeting_dated_before_the_team_was_formed_is_refused_on_the_page_with_the_reason(world: World) -> None:
    d, _ = assigned(world)
    client = logged_in("coordinator")
    yesterday = (timezone.localtime() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")

    page = html(client.post(detail_url(d, "meeting"), meeting_data(**{"meeting-held_at": yesterday})))

    assert f"不能早于指派协调员组成专班的日期（{local_today().isoformat()}）" in page
    assert 'value="陈法官"' in page
    assert not d.meetings.exists()


def test_staff_conclude_a_mediation_and_the_agreement_is_offered_for_download(world: World) -> None:
    d, _ = assigned(world)
    client = logged_in("centre")
    assert "请填写调解协议的内容" in html(client.post(detail_url(d, "mediated"), {"mediated-terms": ""}))
    response = client.post(
        detail_url(d, "mediated"),
        {"mediated-terms": "一、重新核定补偿\n二、申请人撤回复议申请", "mediated-judicial_confirmation": "on"},
        follow=True,
    )
    page = html(response)
    assert "已办结：调解成功，当事人申请司法确认" in page
    d.refresh_from_db()
    assert d.outcome == DisputeOutcome.MEDIATED and d.judicial_confirmation
    assert f'href="{reverse("documents:agreement", args=[d.pk])}"' in page
    assert "下载调解协议书（Word）" in page


def test_staff_record_a_withdrawal_with_its_reason(world: World) -> None:
    d, _ = assigned(world)
    client = logged_in("centre")
    assert "请选择撤回原因" in html(client.post(detail_url(d, "withdrawn"), {}))
    response = client.post(
        detail_url(d, "withdrawn"),
        {"withdrawn-reason": "agency_corrected", "withdrawn-note": "已撤销处罚"},
        follow=True,
    )
    assert "已办结：撤回（行政机关纠正后撤回）" in html(response)


def test_a_failed_mediation_goes_to_a_new_lawsuit(world: World) -> None:
    d, _ = assigned(world)
    client = logged_in("centre")
    page = html(client.post(detail_url(d, "handover"), {"handover-to": "litigation"}))
    assert "请选择已登记的案件，或填写新案件的案号" in page
    page = html(
        client.post(
            detail_url(d, "handover"),
            {"handover-to": "litigation", "handover-number": "（2026）黔2701行初99号",
             "handover-forum": world.orgs["州司法局"].pk, "handover-on": local_today().isoformat()},
        )
    )  # fmt: skip
    assert "行政诉讼的受理机关应为法院" in page
    response = client.post(
        detail_url(d, "handover"),
        {"handover-to": "litigation", "handover-number": "（2026）黔2701行初99号",
         "handover-forum": world.orgs["都匀法院"].pk, "handover-on": local_today().isoformat()},
        follow=True,
    )  # fmt: skip
    assert "已办结：调解不成·转诉讼，关联案件 （2026）黔2701行初99号" in html(response)
    case = Case.objects.get(number="（2026）黔2701行初99号")
    assert case.kind == CaseKind.LITIGATION and Dispute.objects.get(pk=d.pk).case == case


def test_a_failed_mediation_to_a_case_of_the_wrong_kind_is_refused_on_the_form(world: World) -> None:
    case = make_case(
        CaseKind.RECONSIDERATION, defendant=world.orgs["都匀自然资源局"], number="黔南复〔2026〕3号", plaintiffs="张三"
    )
    d, _ = assigned(world)
    response = logged_in("centre").post(
        detail_url(d, "handover"), {"handover-to": "litigation", "handover-case": case.pk}
    )
    assert "案件 黔南复〔2026〕3号 是行政复议案件，与所选去向不符" in html(response)
    response = logged_in("centre").post(
        detail_url(d, "handover"), {"handover-to": "reconsideration", "handover-case": case.pk}
    )
    assert response.status_code == 302
    assert Dispute.objects.get(pk=d.pk).outcome == DisputeOutcome.TO_RECONSIDERATION


def test_an_action_by_get_is_not_allowed(world: World) -> None:
    d = pref_dispute(world)
    assert logged_in("centre").get(detail_url(d, "accept")).status_code == 405


# --- 我的协调任务 ------------------------------------------------------------------------------------------------


def test_my_tasks_are_for_coordinators_only(world: World) -> None:
    assert logged_in("centre").get(reverse("disputes:mine")).status_code == 403


def test_a_coordinator_sees_only_their_disputes_with_limit_and_role_and_their_past_ones(world: World) -> None:
    centre = world.users["centre"]
    mine, c = assigned(world, applicants="甲")
    someone_else = pref_dispute(world, applicants="乙")
    accept_dispute(someone_else, by=centre, consent=WRITTEN)
    assign_coordinators(someone_else, [Choice(make_coordinator("周律师", org=world.orgs["州司法局"]))], by=centre)
    left = pref_dispute(world, applicants="丙", matter="房屋登记错误")
    accept_dispute(left, by=centre, consent=WRITTEN)
    assign_coordinators(left, [Choice(c)], by=centre)
    release_coordinator(Assignment.objects.get(dispute=left), by=centre)
    done = pref_dispute(world, applicants="丁", matter="工伤认定不服")
    accept_dispute(done, by=centre, consent=WRITTEN)
    assign_coordinators(done, [Choice(c)], by=centre)
    conclude_mediated(done, terms="一、重新认定", by=centre)
    page = html(logged_in("coordinator").get(reverse("disputes:mine")))
    in_hand = page.split('data-testid="in-hand"')[1].split("</table>")[0]
    assert mine.number in in_hand and "牵头协调员" in in_hand and "登记评审意见" in in_hand
    assert someone_else.number not in page
    past = page.split('data-testid="past"')[1]
    assert done.number in past and left.number in past and "已退出专班" in past
    assert detail_url(left) not in page  # a dispute left is no longer open to them
    assert "甲" in in_hand and "丙" not in page


def test_a_review_overdue_shows_on_my_tasks(world: World) -> None:
    d, _ = assigned(world)
    Dispute.objects.filter(pk=d.pk).update(review_due_on=days(-2))
    page = html(logged_in("coordinator").get(reverse("disputes:mine")))
    assert "已逾期 2 日" in page and "其中 <strong" in page


# --- 线上申请 ----------------------------------------------------------------------------------------------------


def application(world: World, **values: Any) -> dict[str, Any]:
    data = {
        "centre": world.orgs["州中心"].pk,
        "applicants": "张三、李四",
        "applicant_id_number": ID_NUMBER,
        "applicant_phone": "139 1234 1234",
        "applicant_address": "都匀市文峰路1号",
        "agency_name": "都匀市自然资源局",
        "matter": "我家的林地被征收，补偿款比邻村低一半",
        "claims": "按同样标准补偿",
        "consent": "on",
        "challenge_0": "key",
        "challenge_1": "PASSED",
    }
    data.update(values)
    return data


def test_a_party_applies_online_without_logging_in(world: World) -> None:
    client = Client(enforce_csrf_checks=False)
    assert client.get(reverse("disputes:apply")).status_code == 200
    response = client.post(reverse("disputes:apply"), application(world))
    assert response.status_code == 302
    d = Dispute.objects.get()
    assert (d.source, d.state, d.received_on) == (Source.ONLINE, DisputeState.RECEIVED, local_today())
    assert d.applicant_phone == "13912341234" and d.agency == world.orgs["都匀自然资源局"]
    page = html(client.get(response["Location"]))
    assert d.number in page and "5 个工作日内" in page
    assert "13912341234" not in page and "林地" not in page
    # And the centre's staff find it waiting in the queue.
    queue = html(logged_in("centre").get(reverse("disputes:queue"), {"state": "received"}))
    assert d.number in queue and "线上申请" in queue


def test_the_online_form_explains_what_is_wrong(world: World) -> None:
    page = html(
        Client().post(
            reverse("disputes:apply"),
            application(world, applicant_phone="0854-1234567", agency_name="都匀市不存在局", consent=""),
        )
    )
    assert "手机号码应为11位数字" in page
    assert "没有找到“都匀市不存在局”" in page
    assert "请勾选同意后再提交" in page
    assert not Dispute.objects.exists()


def test_the_online_form_matches_agencies_only_within_the_chosen_centre(world: World) -> None:
    page = html(
        Client().post(
            reverse("disputes:apply"),
            application(world, centre=world.orgs["都匀中心"].pk, agency_name="福泉市公安局"),
        )
    )
    assert "在都匀市行政争议协调化解中心的受理范围内没有找到“福泉市公安局”" in page


def test_the_online_form_keeps_csrf_protection(world: World) -> None:
    response = Client(enforce_csrf_checks=True).post(reverse("disputes:apply"), application(world))
    assert response.status_code == 403
    assert not Dispute.objects.exists()


def test_a_forged_confirmation_link_shows_nothing(world: World) -> None:
    d = pref_dispute(world)
    response = Client().get(reverse("disputes:apply_done", args=[f"{d.pk}:forged"]))
    assert response.status_code == 404
    assert d.number not in html(response)


def test_only_the_application_pages_are_open_without_login(world: World) -> None:
    d = pref_dispute(world)
    anonymous = Client()
    for url in (reverse("disputes:new"), reverse("disputes:mine"), detail_url(d)):
        assert anonymous.get(url).status_code == 302
    assert anonymous.post(detail_url(d, "accept")).status_code == 302


# --- the applicants' own cases only ------------------------------------------------------------------------------


def unrelated_case(world: World) -> Case:
    """A pending lawsuit against the same agency, brought by someone else: the centre's staff cannot see it."""
    return make_case(
        CaseKind.LITIGATION,
        defendant=world.orgs["都匀自然资源局"],
        plaintiffs="无关的人",
        number="（2026）黔2701行初500号",
    )


def test_the_hand_over_offers_only_the_applicants_own_pending_cases(world: World) -> None:
    unrelated_case(world)
    make_case(
        CaseKind.LITIGATION, defendant=world.orgs["都匀自然资源局"], plaintiffs="张三", number="（2026）黔2701行初7号"
    )
    d, _ = assigned(world, applicants="张三")

    page = html(logged_in("centre").get(detail_url(d)))

    assert "（2026）黔2701行初7号" in page
    assert "（2026）黔2701行初500号" not in page


def test_a_crafted_hand_over_to_someone_elses_case_is_refused_and_the_case_stays_hidden(world: World) -> None:
    case = unrelated_case(world)
    d, _ = assigned(world, applicants="张三")
    client = logged_in("centre")

    response = client.post(detail_url(d, "handover"), {"handover-to": "litigation", "handover-case": case.pk})

    assert "所选案件不是申请人与被申请机关之间未结的案件，不能移交" in html(response)
    d.refresh_from_db()
    assert (d.state, d.case) == (DisputeState.ASSIGNED, None)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_a_crafted_link_to_someone_elses_case_is_refused(world: World) -> None:
    case = unrelated_case(world)
    d = pref_dispute(world, applicants="张三")
    client = logged_in("centre")

    response = client.post(detail_url(d, "link"), {"link-case": case.pk})

    assert "所选案件不是申请人与被申请机关之间的案件，不能关联" in html(response)
    assert Dispute.objects.get(pk=d.pk).case is None
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404


# --- availability and load, by a crafted POST ----------------------------------------------------------------------


def test_a_crafted_post_assigning_an_unavailable_or_full_coordinator_is_refused(world: World) -> None:
    centre = world.users["centre"]
    away = make_coordinator("暂停专家", org=world.orgs["州司法局"], domains=["forestry"], available=False)
    full = make_coordinator("满员专家", org=world.orgs["州司法局"], domains=["forestry"], max_load=1)
    busy = pref_dispute(world, applicants="甲")
    accept_dispute(busy, by=centre, consent=WRITTEN)
    assign_coordinators(busy, [Choice(full)], by=centre)
    d = pref_dispute(world, applicants="乙")
    accept_dispute(d, by=centre, consent=WRITTEN)
    client = logged_in("centre")

    page = html(client.get(detail_url(d)))
    assert "暂停专家" not in page and "满员专家" not in page

    response = client.post(detail_url(d, "assign"), {"assign-coordinator": [away.pk], f"role_{away.pk}": "lead"})
    assert "暂停专家 目前不可接受指派，不能指派" in html(response)
    response = client.post(detail_url(d, "assign"), {"assign-coordinator": [full.pk]})
    assert "满员专家 在办 1 件，已达同时承办上限 1 件，不能指派" in html(response)
    assert not Assignment.objects.filter(dispute=d).exists()


# --- duplicates from every source, merging, consent and 第60条 ----------------------------------------------------


def test_a_repeated_online_application_is_taken_and_its_file_shows_the_possible_duplicates(world: World) -> None:
    earlier = make_dispute(
        world.orgs["州中心"],
        agency=world.orgs["都匀自然资源局"],
        applicants="张三",
        matter="林地被征收，补偿款比邻村低一半",
    )
    data = application(world, centre=world.orgs["都匀中心"].pk)
    first = Client().post(reverse("disputes:apply"), data)
    second = Client().post(reverse("disputes:apply"), {**data, "matter": "我家的林地被征收了，补偿款比邻村低一半"})
    assert first.status_code == second.status_code == 302
    a, b = Dispute.objects.filter(centre=world.orgs["都匀中心"]).order_by("id")

    page = html(logged_in("centre_duyun").get(detail_url(b)))

    assert "可能重复" in page
    assert f'<a href="{detail_url(a)}">{a.number}</a>' in page
    assert earlier.number in page and f'href="{detail_url(earlier)}"' not in page
    assert "由黔南州行政争议协调化解中心办理，请与其联系" in page
    assert f"将本件并入 {a.number}" in page
    assert "可能重复" not in html(logged_in("agency_duyun").get(detail_url(b)))


def test_staff_merge_a_repeated_application_from_its_file(world: World) -> None:
    data = application(world, centre=world.orgs["都匀中心"].pk)
    Client().post(reverse("disputes:apply"), data)
    Client().post(reverse("disputes:apply"), {**data, "matter": "我家的林地被征收了，补偿款比邻村低一半"})
    a, b = Dispute.objects.order_by("id")
    client = logged_in("centre_duyun")

    response = client.post(detail_url(b, "merge"), {"merge-into": a.pk}, follow=True)

    assert f"已将本件并入 {a.number} 办理" in html(response)
    b.refresh_from_db()
    assert (b.state, b.outcome) == (DisputeState.CLOSED, DisputeOutcome.REJECTED)
    assert f"收到重复申请 {b.number}（线上申请，张三、李四），并入本件办理" in html(client.get(detail_url(a)))


def test_a_closed_dispute_is_shown_for_reference_and_takes_no_merge(world: World) -> None:
    centre = world.users["centre"]
    closed = pref_dispute(world, applicants="孙七", matter="不服林木采伐罚款决定")
    accept_dispute(closed, by=centre, consent=WRITTEN)
    conclude_withdrawn(closed, reason=WithdrawalReason.OTHER, by=centre)
    again = pref_dispute(world, applicants="孙七", matter="不服林木采伐罚款决定")
    client = logged_in("centre")

    page = html(client.get(detail_url(again)))
    assert "已办结，仅供参考" in page and f"将本件并入 {closed.number}" not in page
    response = client.post(detail_url(again, "merge"), {"merge-into": closed.pk})
    assert "已办结或其他中心的争议不能并入" in html(response)

    intake = {"source": "window", "received_on": local_today().isoformat(), "applicants": "孙七",
              "agency": world.orgs["都匀自然资源局"].pk, "matter": "不服林木采伐罚款决定"}  # fmt: skip
    page = html(client.post(reverse("disputes:new"), intake))
    assert "已办结，仅供参考" in page and f"merge:{closed.pk}" not in page
    page = html(client.post(reverse("disputes:new"), {**intake, "decision": f"merge:{closed.pk}"}))
    assert f"{closed.number} 已办结，不能并入" in page
    assert Dispute.objects.get(pk=again.pk).state == DisputeState.RECEIVED
    assert Dispute.objects.count() == 2


def test_the_online_consent_to_mediation_is_stored_and_shown_on_the_file(world: World) -> None:
    Client().post(reverse("disputes:apply"), application(world, consent_to_mediation="on"))
    d = Dispute.objects.get()
    assert (d.consent_by, d.consent_way, d.consent_on) == ("张三、李四", "online", local_today())

    page = html(logged_in("centre").get(detail_url(d)))
    assert f"张三、李四 · {local_today().isoformat()} · 线上申请时勾选同意" in page
    assert "当事人已同意调解" in page and "accept-consent_by" not in page


def test_the_file_notes_article_60_when_the_act_is_not_compensation(world: World) -> None:
    penalty = pref_dispute(world, applicants="甲", matter="不服罚款决定")
    penalty.act_type = "penalty"
    penalty.save()
    compensation = pref_dispute(world, applicants="乙", matter="要求行政赔偿")
    compensation.act_type = "compensation"
    compensation.save()
    client = logged_in("centre")

    note = "行政诉讼法第六十条规定，行政案件不适用调解，但行政赔偿、补偿以及行政机关行使法律、法规规定的自由裁量权的案件可以调解"
    page = html(client.get(detail_url(penalty)))
    assert note in page and "本件行政行为类别为“行政处罚”" in page
    assert note not in html(client.get(detail_url(compensation)))
    response = client.post(detail_url(penalty, "accept"), CONSENT_POST)
    assert response.status_code == 302


def test_the_login_page_links_to_the_online_application(world: World) -> None:
    page = html(Client().get("/login/"))
    assert f'href="{reverse("disputes:apply")}"' in page and "在线申请行政争议协调化解" in page


def test_intake_shows_another_centres_dispute_on_the_same_matter_for_reference_only(world: World) -> None:
    elsewhere = pref_dispute(world, applicants="孙七", matter="不服林木采伐罚款决定")
    intake = {"source": "window", "received_on": local_today().isoformat(), "applicants": "孙七",
              "agency": world.orgs["都匀自然资源局"].pk, "matter": "不服林木采伐罚款决定"}  # fmt: skip
    client = logged_in("centre_duyun")

    page = html(client.post(reverse("disputes:new"), intake))

    assert elsewhere.number in page and "由黔南州行政争议协调化解中心办理，仅供参考" in page
    assert f"merge:{elsewhere.pk}" not in page and f'href="{detail_url(elsewhere)}"' not in page
    page = html(client.post(reverse("disputes:new"), {**intake, "decision": f"merge:{elsewhere.pk}"}))
    assert "由黔南州行政争议协调化解中心办理，不能并入" in page
    assert Dispute.objects.count() == 1
