"""The audit log names what was done in Chinese and the record by its official number (the 争调 number, the case
number), never by a URL name or a database id: the audit administrator reads it as the users' own words."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from fuyuan.audit.actions import ACTIONS, STEP_ACTIONS, action_label
from fuyuan.audit.models import AuditKind, AuditRecord
from fuyuan.disputes.choices import AssignmentRole
from fuyuan.disputes.workflow import Choice, accept_dispute, assign_coordinators
from tests.disputes.consent import WRITTEN
from tests.factories import PASSWORD, World, make_case, make_coordinator, make_dispute

pytestmark = pytest.mark.django_db


def _client(persona: str) -> Client:
    client = Client()
    assert client.login(username=persona, password=PASSWORD)
    return client


def _assigned_dispute(world: World):  # type: ignore[no-untyped-def]
    o, centre = world.orgs, world.users["centre"]
    d = make_dispute(o["州中心"], agency=o["都匀自然资源局"], by=centre)
    accept_dispute(d, by=centre, consent=WRITTEN)
    expert = make_coordinator("李专家", org=o["州司法局"], domains=["forestry"], user=world.users["coordinator"])
    return assign_coordinators(d, [Choice(expert, AssignmentRole.LEAD)], by=centre)


def test_concluding_a_mediation_is_summarised_with_the_dispute_number_and_a_chinese_verb(world: World) -> None:
    d = _assigned_dispute(world)

    response = _client("centre").post(reverse("disputes:mediated", args=[d.pk]), {"mediated-terms": "一、重新核定补偿"})

    assert response.status_code == 302
    rec = AuditRecord.objects.filter(kind=AuditKind.CHANGE).latest("id")
    assert rec.summary == f"登记调解成功（行政争议 {d.number}）"
    assert "disputes:" not in rec.summary and f" {d.pk}）" not in rec.summary
    assert (rec.target_type, rec.target_id, rec.target_label) == ("disputes.dispute", str(d.pk), d.number)


def test_reading_a_dispute_file_names_its_number(world: World) -> None:
    d = _assigned_dispute(world)

    assert _client("centre").get(reverse("disputes:detail", args=[d.pk])).status_code == 200

    rec = AuditRecord.objects.filter(kind=AuditKind.READ).latest("id")
    assert rec.summary == f"查阅行政争议 {d.number}"


def test_a_page_under_a_case_file_names_the_file_by_its_number(world: World) -> None:
    case = make_case(defendant=world.orgs["都匀自然资源局"], court=world.orgs["都匀法院"])

    _client("court_duyun").post(reverse("cases:edit", args=[case.pk]), {})

    summaries = list(AuditRecord.objects.filter(kind=AuditKind.CHANGE).values_list("summary", flat=True))
    assert summaries == [f"修改案件信息（案件 {case.number}）"]


def test_the_audit_page_shows_the_records_name_not_its_database_id(world: World) -> None:
    d = _assigned_dispute(world)
    _client("centre").get(reverse("disputes:detail", args=[d.pk]))

    page = Client()
    page.force_login(world.users["auditadmin"])
    html = page.get(reverse("audit:log"), {"kind": AuditKind.READ}).content.decode()

    assert f"行政争议 {d.number}" in html
    assert f"行政争议 {d.pk}<" not in html


def test_a_change_without_a_file_is_named_by_what_its_page_does() -> None:
    assert action_label("notifications:mark_all_read") == "全部消息标记已读"
    assert action_label("accountability:transfer_step", {"pk": 3, "step": "reject"}) == "移送纪委监委：州级复核不予移送"
    assert action_label("admin:core_region_change") == "修改配置数据"
    assert action_label("somewhere:new_page") == "提交表单"


def test_every_named_action_is_a_page_of_the_site() -> None:
    names = {
        f"{namespace}:{name}" if namespace else name
        for namespace, name in (
            (ns, n)
            for ns, (_prefix, sub) in get_resolver().namespace_dict.items()
            for n in sub.reverse_dict
            if isinstance(n, str)
        )
    } | {n for n in get_resolver().reverse_dict if isinstance(n, str)}

    assert set(ACTIONS) - names == set()
    assert set(STEP_ACTIONS) <= names


def test_the_auditor_finds_a_files_records_by_its_number(world: World) -> None:
    d = _assigned_dispute(world)
    _client("centre").get(reverse("disputes:detail", args=[d.pk]))
    auditor = Client()
    auditor.force_login(world.users["auditadmin"])

    response = auditor.get(reverse("audit:log"), {"target_type": "disputes.dispute", "target_id": d.number})

    assert [rec.summary for rec, _role, _target in response.context["rows"]] == [f"查阅行政争议 {d.number}"]


def test_a_changes_record_page_names_the_page_by_what_its_form_does(world: World) -> None:
    d = _assigned_dispute(world)
    _client("centre").post(reverse("disputes:mediated", args=[d.pk]), {"mediated-terms": "一、重新核定补偿"})
    rec = AuditRecord.objects.filter(kind=AuditKind.CHANGE).latest("id")
    auditor = Client()
    auditor.force_login(world.users["auditadmin"])

    page = auditor.get(reverse("audit:record", args=[rec.pk])).content.decode()

    assert "登记调解成功（disputes:mediated）" in page
    assert f"行政争议 {d.number}" in page


def test_a_change_to_an_expert_names_the_expert(world: World) -> None:
    expert = make_coordinator("杨林", org=world.orgs["州司法局"], domains=["forestry"])

    _client("centre").post(reverse("disputes:coordinator_remove", args=[expert.pk]), {"reason": "退休"})

    rec = AuditRecord.objects.filter(kind=AuditKind.CHANGE).latest("id")
    assert rec.summary == "协调员移出协调员库（协调员 杨林）"
    assert (rec.target_type, rec.target_label) == ("disputes.coordinator", "杨林")
