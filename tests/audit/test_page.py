"""The audit administrator's page (/audit/): only the audit administrator reads the log (三员管理); search, pages of
50 newest first, the chain check on demand, one record's detail, and the search exported (and that export audited)."""

import datetime
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from fuyuan.audit.log import record
from fuyuan.audit.models import AuditKind, AuditRecord
from fuyuan.core.models import Role, User
from tests.factories import World, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def auditor(client, world: World):  # type: ignore[no-untyped-def]
    client.force_login(world.users["auditadmin"])
    return client


def _user_for(role: str, world: World) -> User:
    found = next((u for u in world.users.values() if u.role == role), None)
    return found or make_user(f"someone_{role}", role, region=world.regions["黔南州"])


@pytest.mark.parametrize("role", Role.values)
def test_only_the_audit_administrator_may_open_the_page(client, world: World, role: str) -> None:
    client.force_login(_user_for(role, world))

    expected = 200 if role == Role.AUDIT_ADMIN else 403
    assert client.get("/audit/").status_code == expected
    assert client.get("/audit/export.xlsx").status_code == expected
    assert client.post("/audit/verify/").status_code == (302 if role == Role.AUDIT_ADMIN else 403)


def test_a_superuser_without_the_audit_role_is_refused(client, world: World) -> None:
    boss = make_user("root", Role.RULE_OF_LAW_OFFICE, region=world.regions["省"])
    boss.is_superuser = boss.is_staff = True
    boss.save()
    client.force_login(boss)

    assert client.get("/audit/").status_code == 403
    assert client.get(f"/audit/{AuditRecord.objects.first().pk}/").status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client) -> None:
    assert client.get("/audit/").status_code == 302


def test_the_page_says_how_long_records_are_kept(auditor) -> None:
    page = auditor.get("/audit/").content.decode()

    assert "保存不少于 <strong>183</strong> 天" in page
    assert "网络安全法" in page


def _rows(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [rec.summary for rec, _role, _target in response.context["rows"]]


def test_searching_by_username_kind_ip_target_and_text(auditor, world: World) -> None:
    record(AuditKind.READ, "查阅案件 7", actor=world.users["court_duyun"], target_type="cases.case", target_id="7")
    record(AuditKind.EXPORT, "导出 案件台账.xlsx", actor=world.users["rol_pref"])
    record(AuditKind.LOGIN_FAILED, "以账号「court_duyun」登录失败", username="court_duyun")

    assert _rows(auditor.get("/audit/?username=court_duyun")) == [
        "以账号「court_duyun」登录失败",
        "查阅案件 7",
    ]
    assert _rows(auditor.get("/audit/?kind=export")) == ["导出 案件台账.xlsx"]
    assert _rows(auditor.get("/audit/?target_type=cases.case&target_id=7")) == ["查阅案件 7"]
    assert _rows(auditor.get("/audit/?q=台账")) == ["导出 案件台账.xlsx"]
    assert _rows(auditor.get("/audit/?ip=10.99.")) == []


def test_searching_by_address_prefix(auditor, world: World) -> None:
    auditor.get("/audit/", REMOTE_ADDR="10.44.1.2")
    auditor.post("/audit/verify/", REMOTE_ADDR="10.44.1.2")

    rows = auditor.get("/audit/?ip=10.44.").context["rows"]
    assert [rec.ip for rec, _r, _t in rows] == ["10.44.1.2"]


def test_searching_by_date_range_takes_whole_local_days(auditor, world: World) -> None:
    record(AuditKind.READ, "今天的查阅", actor=world.users["court_duyun"])
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)

    assert "今天的查阅" in _rows(auditor.get(f"/audit/?date_from={today}&date_to={today}"))
    assert _rows(auditor.get(f"/audit/?date_from={yesterday}&date_to={yesterday}")) == []


def test_a_bad_search_says_what_is_wrong_and_shows_nothing(auditor, world: World) -> None:
    response = auditor.get("/audit/?date_from=2026-13-01&date_to=2026-01-01&kind=nope")
    page = response.content.decode()

    assert "起始日期：起始日期应为 YYYY-MM-DD" in page
    assert "类别：类别「nope」不存在" in page
    assert _rows(response) == []


def test_a_reversed_date_range_is_named(auditor) -> None:
    page = auditor.get("/audit/?date_from=2026-03-01&date_to=2026-01-01").content.decode()

    assert "起始日期 2026-03-01 晚于截止日期 2026-01-01" in page


def test_pages_hold_50_records_newest_first_and_queries_do_not_grow(
    auditor, world: World, django_assert_max_num_queries
) -> None:
    for n in range(120):
        record(AuditKind.READ, f"查阅案件 {n}", actor=world.users["court_duyun"])

    with django_assert_max_num_queries(10):
        first = auditor.get("/audit/?username=court_duyun")
    with django_assert_max_num_queries(10):
        third = auditor.get("/audit/?username=court_duyun&page=3")

    assert len(first.context["rows"]) == 50
    assert _rows(first)[0] == "查阅案件 119"
    assert _rows(third) == [f"查阅案件 {n}" for n in range(19, -1, -1)]
    assert "第 1 / 3 页" in first.content.decode() and "共 120 条" in first.content.decode()


def test_the_chain_is_checked_on_demand_and_the_result_shown(auditor) -> None:
    page = auditor.get("/audit/").content.decode()
    assert "尚未校验" in page

    response = auditor.post("/audit/verify/", follow=True)
    page = response.content.decode()

    assert "哈希链校验通过" in page
    assert "通过</span>" in page


def test_a_record_shows_its_detail_readably(auditor, world: World) -> None:
    rec = record(
        AuditKind.PERMISSION, "变更账号 x 的角色", actor=world.users["sysadmin"], detail={"before": {"role": "甲"}}
    )

    page = auditor.get(f"/audit/{rec.pk}/").content.decode()

    assert "变更账号 x 的角色" in page
    assert "变更前</dt>" in page and "{&quot;role&quot;: &quot;甲&quot;}" in page
    assert "&quot;before&quot;: {\n    &quot;role&quot;: &quot;甲&quot;" in page
    assert rec.hash in page
    assert "系统管理员" in page


def test_the_search_is_exported_as_a_workbook_and_the_export_is_audited(auditor, world: World) -> None:
    record(AuditKind.READ, "查阅案件 7", actor=world.users["court_duyun"], target_type="cases.case", target_id="7")
    record(AuditKind.READ, "查阅案件 8", actor=world.users["agency_duyun"])

    response = auditor.get("/audit/export.xlsx?username=court_duyun&kind=read")

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("编号", "时间", "类别", "账号")
    assert [(r[2], r[3], r[4], r[7], r[8], r[10]) for r in rows[1:]] == [
        ("查阅", "court_duyun", "法院联络员", "案件", "7", "查阅案件 7")
    ]
    export = AuditRecord.objects.filter(kind=AuditKind.EXPORT).get()
    assert export.username == "auditadmin"
    assert export.detail["query"] == {"username": "court_duyun", "kind": "read"}


def test_a_bad_search_is_not_exported(auditor) -> None:
    response = auditor.get("/audit/export.xlsx?date_from=yesterday", follow=True)

    assert "查询条件有误，未导出：起始日期：起始日期应为 YYYY-MM-DD" in response.content.decode()
    assert not AuditRecord.objects.filter(kind=AuditKind.EXPORT).exists()


def test_an_export_larger_than_the_limit_is_refused_with_the_count(auditor, world: World, monkeypatch) -> None:
    from fuyuan.audit import views

    monkeypatch.setattr(views, "EXPORT_MAX_ROWS", 3)

    response = auditor.get("/audit/export.xlsx", follow=True)

    total = AuditRecord.objects.count()
    assert f"当前查询有 {total} 条记录，超过单次导出上限 3 条" in response.content.decode()
    assert not AuditRecord.objects.filter(kind=AuditKind.EXPORT).exists()
