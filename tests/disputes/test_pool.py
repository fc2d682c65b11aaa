"""The coordinator pool's own pages (专业协调员库, issue 4): who sees and keeps which experts, adding and changing an
entry with its timeline, removal from the pool, and declarations of conflict with their effect on the proposal."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from fuyuan.core.models import Event, Role
from fuyuan.core.timeline import timeline
from fuyuan.disputes.choices import AssignmentRole, ConsentWay, DisputeState
from fuyuan.disputes.matching import propose
from fuyuan.disputes.models import Assignment, Conflict, Coordinator, Dispute
from fuyuan.disputes.workflow import (
    Choice,
    Consent,
    DisputeError,
    accept_dispute,
    assign_coordinators,
    conclude_mediated,
    declare_conflict,
    remove_from_pool,
    save_coordinator,
    withdraw_conflict,
)
from tests.factories import World, local_today, make_coordinator, make_dispute, make_org, make_region, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

POOL = "/disputes/coordinators/"
LAND = "申请人不服都匀市自然资源局作出的宅基地不动产登记行为"


def client_of(world: World, username: str) -> Client:
    client = Client()
    client.force_login(world.users[username])
    return client


def page(world: World, username: str, url: str = POOL) -> str:
    response = client_of(world, username).get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def entry(world: World, **changes: Any) -> dict[str, Any]:
    """What the form posts for a new expert of 都匀市 (as centre staff fill it in)."""
    values: dict[str, Any] = {
        "name": "杨林",
        "title": "高级工程师",
        "organisation": world.orgs["都匀司法局"].pk,
        "region": world.regions["都匀市"].pk,
        "domains": ["forestry", "natural_resources"],
        "expertise": "林权确权、采伐许可",
        "phone": "13987654321",
        "available": "on",
        "unavailable_until": "",
        "max_load": "4",
        "user": "",
    }
    values.update(changes)
    return {k: v for k, v in values.items() if v is not None}


def dispute_at(world: World, **values: Any) -> Dispute:
    values.setdefault("matter", LAND)
    values.setdefault("applicants", "张三、李四")
    d = make_dispute(world.orgs["州中心"], agency=world.orgs["都匀自然资源局"], **values)
    return accept_dispute(d, by=world.users["centre"], consent=Consent(d.applicants, local_today(), ConsentWay.WRITTEN))


def names(proposals: list) -> list[str]:
    return [p.coordinator.name for p in proposals]


# --- who sees the pool ------------------------------------------------------------------------------------------


def test_centre_staff_see_their_pool_with_load_availability_declarations_and_masked_phones(world: World) -> None:
    o = world.orgs
    busy = make_coordinator("罗法官", org=o["州中院"], domains=["forestry"], title="退休法官", phone="13912345678")
    away = make_coordinator(
        "出差专家", org=o["都匀司法局"], unavailable_until=local_today() + datetime.timedelta(days=3)
    )
    Conflict.objects.create(coordinator=away, organisation=o["都匀自然资源局"], reason="配偶在该局任职")
    d = dispute_at(world)
    assign_coordinators(d, [Choice(busy, AssignmentRole.LEAD)], by=world.users["centre"])
    make_coordinator("安阳专家", org=o["安阳司法局"])  # another prefecture: not this centre's pool

    html = page(world, "centre")

    assert "罗法官" in html and "出差专家" in html and "安阳专家" not in html
    assert "139****5678" in html and "13912345678" not in html
    assert "1 / 5" in html  # 罗法官: one dispute in hand of five
    assert f"暂不可指派至 {(local_today() + datetime.timedelta(days=3)).isoformat()}" in html
    assert "1 项" in html  # 出差专家's declaration


def test_past_success_in_mediation_is_shown_as_the_proposal_counts_it(world: World) -> None:
    expert = make_coordinator("成功专家", org=world.orgs["都匀司法局"], domains=["natural_resources"])
    for _ in range(2):
        d = assign_coordinators(dispute_at(world, applicants="路人乙"), [Choice(expert)], by=world.users["centre"])
        conclude_mediated(d, terms="重新核定并登记", by=world.users["centre"])

    assert "2 件" in page(world, "centre")
    assert "本领域调解成功 2 件" in propose(dispute_at(world, applicants="王五"), today=local_today())[0].reason_text


def test_a_county_centre_sees_the_prefecture_experts_but_may_not_change_them(world: World) -> None:
    pref_expert = make_coordinator("州专家", org=world.orgs["州司法局"])
    client = client_of(world, "centre_duyun")

    assert "州专家" in client.get(POOL).content.decode()
    assert client.get(f"{POOL}{pref_expert.pk}/").status_code == 200
    assert client.get(f"{POOL}{pref_expert.pk}/edit/").status_code == 403
    response = client.post(
        f"{POOL}{pref_expert.pk}/edit/", entry(world, name="改名", region=world.regions["黔南州"].pk)
    )
    assert response.status_code == 403
    assert client.post(f"{POOL}{pref_expert.pk}/remove/").status_code == 403
    assert client.post(f"{POOL}{pref_expert.pk}/conflicts/", {"person_name": "甲", "reason": "亲属"}).status_code == 403
    pref_expert.refresh_from_db()
    assert (pref_expert.name, pref_expert.active, pref_expert.conflicts.count()) == ("州专家", True, 0)
    assert not timeline(pref_expert).exists()


def test_the_centre_staff_of_another_county_neither_see_nor_change_a_countys_experts(world: World) -> None:
    fuquan_expert = make_coordinator("福泉专家", org=world.orgs["福泉公安局"])
    client = client_of(world, "centre_duyun")

    assert "福泉专家" not in client.get(POOL).content.decode()
    assert client.get(f"{POOL}{fuquan_expert.pk}/").status_code == 404
    assert client.post(f"{POOL}{fuquan_expert.pk}/remove/").status_code == 404
    with pytest.raises(PermissionDenied):
        remove_from_pool(fuquan_expert, by=world.users["centre_duyun"])
    fuquan_expert.refresh_from_db()
    assert fuquan_expert.active


def test_the_rule_of_law_office_and_leaders_read_the_pool_but_may_not_change_it(world: World) -> None:
    expert = make_coordinator("李专家", org=world.orgs["州司法局"])
    for username in ("rol_pref", "leader_pref"):
        client = client_of(world, username)
        html = client.get(POOL).content.decode()
        assert "李专家" in html and "（只读）" in html and "新增协调员" not in html
        detail = client.get(f"{POOL}{expert.pk}/").content.decode()
        assert "修改信息" not in detail and "申报利益冲突" not in detail and "移出专家库" not in detail
        assert client.get(f"{POOL}new/").status_code == 403
        assert client.post(f"{POOL}new/", entry(world)).status_code == 403
        assert client.post(f"{POOL}{expert.pk}/remove/").status_code == 403
    assert Coordinator.objects.count() == 1
    expert.refresh_from_db()
    assert expert.active


@pytest.mark.parametrize("username", ["coordinator", "agency_duyun", "court_duyun", "discipline", "sysadmin"])
def test_coordinators_agencies_courts_and_administrators_are_refused_the_pool(world: World, username: str) -> None:
    expert = make_coordinator("李专家", org=world.orgs["州司法局"], user=world.users["coordinator"])
    client = client_of(world, username)

    assert client.get(POOL).status_code == 403
    assert client.get(f"{POOL}{expert.pk}/").status_code == 403
    assert client.post(f"{POOL}new/", entry(world)).status_code == 403
    assert Coordinator.objects.count() == 1


def test_removed_experts_are_listed_apart_and_only_those_of_the_centres_own_subtree(world: World) -> None:
    make_coordinator("在库专家", org=world.orgs["都匀司法局"])
    make_coordinator("都匀移出", org=world.orgs["都匀司法局"], active=False)
    make_coordinator("州级移出", org=world.orgs["州司法局"], active=False)

    in_pool = page(world, "centre_duyun")
    removed = page(world, "centre_duyun", f"{POOL}?status=removed")

    assert "在库专家" in in_pool and "都匀移出" not in in_pool
    assert "都匀移出" in removed and "在库专家" not in removed
    assert "州级移出" not in removed  # the prefecture's own removal is the prefecture centre's business
    assert "州级移出" in page(world, "centre", f"{POOL}?status=removed")


def test_the_list_filters_by_domain_and_availability_through_get_parameters(world: World) -> None:
    org = world.orgs["都匀司法局"]
    make_coordinator("林业专家", org=org, domains=["forestry"])
    make_coordinator("劳动专家", org=org, domains=["labour"])
    make_coordinator("停派林业专家", org=org, domains=["forestry"], available=False)
    make_coordinator(
        "今天回来", org=org, domains=["forestry"], unavailable_until=local_today() - datetime.timedelta(days=1)
    )

    forestry = page(world, "centre", f"{POOL}?domain=forestry")
    free_forestry = page(world, "centre", f"{POOL}?domain=forestry&available=yes")
    not_free = page(world, "centre", f"{POOL}?available=no")

    assert "林业专家" in forestry and "劳动专家" not in forestry and "停派林业专家" in forestry
    assert "停派林业专家" not in free_forestry and "今天回来" in free_forestry and "林业专家" in free_forestry
    assert "停派林业专家" in not_free and "劳动专家" not in not_free
    # An unknown value is ignored, not an error.
    assert "劳动专家" in page(world, "centre", f"{POOL}?domain=nonsense&available=maybe")


def test_the_list_takes_a_bounded_number_of_queries_whatever_the_number_of_experts(
    world: World, django_assert_max_num_queries: Any
) -> None:
    client = client_of(world, "centre")
    org = world.orgs["都匀司法局"]

    def add(n: int) -> None:
        for i in range(n):
            c = make_coordinator(f"专家{Coordinator.objects.count()}", org=org, domains=["forestry"])
            Conflict.objects.create(coordinator=c, person_name=f"当事人{i}", reason="亲属")
            d = dispute_at(world, applicants=f"路人{i}")
            Assignment.objects.create(
                dispute=d, coordinator=c, assigned_at=timezone.now(), assigned_by=world.users["centre"]
            )

    add(2)
    with django_assert_max_num_queries(12) as few:
        client.get(POOL)
    add(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(POOL)
    assert response.content.decode().count('data-testid="pool-row"') == 22


# --- adding and changing an expert --------------------------------------------------------------------------------


def test_centre_staff_add_an_expert_and_the_timeline_records_the_entry(world: World) -> None:
    client = client_of(world, "centre")

    response = client.post(f"{POOL}new/", entry(world), follow=True)

    expert = Coordinator.objects.get(name="杨林")
    assert "已将 杨林 加入专业协调员库" in response.content.decode()
    assert (expert.region, expert.domains, expert.max_load, expert.phone) == (
        world.regions["都匀市"], ["forestry", "natural_resources"], 4, "13987654321",
    )  # fmt: skip
    event = timeline(expert).get()
    assert event.action == "coordinator_added" and event.actor == world.users["centre"]
    assert event.summary == "加入专业协调员库：杨林（都匀市司法局）"
    assert event.changes["联系电话"] == ["", "139****4321"]
    assert "林业、自然资源" in response.content.decode()


def test_editing_an_expert_records_each_change_as_old_and_new_and_an_unchanged_save_records_nothing(
    world: World,
) -> None:
    expert = make_coordinator("杨林", org=world.orgs["都匀司法局"], domains=["forestry"], max_load=4)
    client = client_of(world, "centre")

    client.post(f"{POOL}{expert.pk}/edit/", entry(world, max_load="6", available=None, phone=""))
    client.post(f"{POOL}{expert.pk}/edit/", entry(world, max_load="6", available=None, phone=""))

    expert.refresh_from_db()
    assert (expert.max_load, expert.available, expert.domains) == (6, False, ["forestry", "natural_resources"])
    event = timeline(expert).get()
    assert event.action == "coordinator_changed"
    assert event.changes == {
        "职务/职称": ["（空）", "高级工程师"],
        "擅长领域": ["林业", "林业、自然资源"],
        "专长说明": ["（空）", "林权确权、采伐许可"],
        "可接受指派": ["是", "否"],
        "同时承办上限": ["4", "6"],
    }
    html = page(world, "centre", f"{POOL}{expert.pk}/")
    assert "修改协调员信息" in html and "暂停指派" in html


def test_a_changed_phone_is_recorded_masked(world: World) -> None:
    expert = make_coordinator("杨林", org=world.orgs["都匀司法局"], phone="13900001111")

    save_coordinator(expert, {**_values(expert), "phone": "13900002222"}, by=world.users["centre"])

    assert timeline(expert).get().changes == {"联系电话": ["139****1111", "139****2222"]}
    assert "13900002222" not in str(Event.objects.values_list("summary", "changes"))


def _values(c: Coordinator) -> dict[str, Any]:
    fields = ("name", "title", "organisation", "region", "domains", "expertise", "phone", "available")
    return {f: getattr(c, f) for f in (*fields, "unavailable_until", "max_load", "user")}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "  "}, "请填写姓名"),
        ({"phone": "电话13900"}, "联系电话格式不正确"),
        ({"max_load": "0"}, "同时承办上限应为 1 到 50 之间的整数"),
        ({"max_load": "51"}, "同时承办上限应为 1 到 50 之间的整数"),
        ({"max_load": "很多"}, "同时承办上限应为 1 到 50 之间的整数"),
        ({"unavailable_until": "2026-02-30"}, "暂不可指派至不是有效的日期"),
        ({"organisation": ""}, "请选择所在单位"),
        ({"domains": ["astrology"]}, "擅长领域中有无法识别的领域"),
    ],
)
def test_bad_input_is_refused_with_a_message_naming_the_field_and_nothing_is_written(
    world: World, changes: dict[str, Any], message: str
) -> None:
    response = client_of(world, "centre").post(f"{POOL}new/", entry(world, **changes))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Coordinator.objects.exists() and not Event.objects.filter(action="coordinator_added").exists()


def test_a_region_or_organisation_outside_the_centres_reach_is_refused(world: World) -> None:
    client = client_of(world, "centre_duyun")

    outside_region = client.post(f"{POOL}new/", entry(world, region=world.regions["福泉市"].pk))
    outside_org = client.post(f"{POOL}new/", entry(world, organisation=world.orgs["福泉公安局"].pk))

    assert "所选所在地区不在本中心可选的范围内" in outside_region.content.decode()
    assert "所选所在单位不在本中心可选的范围内" in outside_org.content.decode()
    assert not Coordinator.objects.exists()
    with pytest.raises(DisputeError, match="所在地区“福泉市”不在本中心所辖范围内"):
        save_coordinator(
            None,
            {**_new_values(world), "region": world.regions["福泉市"]},
            by=world.users["centre_duyun"],
        )


def _new_values(world: World) -> dict[str, Any]:
    return {
        "name": "杨林", "title": "", "organisation": world.orgs["都匀司法局"], "region": world.regions["都匀市"],
        "domains": [], "expertise": "", "phone": "", "available": True, "unavailable_until": None, "max_load": 5,
        "user": None,
    }  # fmt: skip


def test_a_login_is_linked_only_if_it_is_a_free_coordinator_account_of_the_region(world: World) -> None:
    client = client_of(world, "centre")
    linked = world.users["coordinator"]
    make_coordinator("李专家", org=world.orgs["州司法局"], user=linked)
    free = make_user("xty_new", Role.COORDINATOR, region=world.regions["都匀市"])
    elsewhere = make_user("xty_anyang", Role.COORDINATOR, region=world.regions["安阳市"])

    form = client.get(f"{POOL}new/").content.decode()
    assert "xty_new" in form and "xty_anyang" not in form and ">coordinator（coordinator）<" not in form
    for account in (linked, elsewhere, world.users["agency_duyun"]):
        response = client.post(f"{POOL}new/", entry(world, user=account.pk))
        assert "所选登录账号不在本中心可选的范围内" in response.content.decode()
    client.post(f"{POOL}new/", entry(world, user=free.pk))

    assert Coordinator.objects.get(name="杨林").user == free
    with pytest.raises(DisputeError, match="登录账号 coordinator 不是本地区未关联的协调员账号"):
        save_coordinator(None, {**_new_values(world), "user": linked}, by=world.users["centre"])
    assert Coordinator.objects.count() == 2


def test_removing_an_expert_from_the_pool_stops_proposals_keeps_the_entry_and_can_be_undone(world: World) -> None:
    expert = make_coordinator("杨林", org=world.orgs["都匀司法局"], domains=["natural_resources"])
    d = dispute_at(world)
    assign_coordinators(d, [Choice(expert, AssignmentRole.LEAD)], by=world.users["centre"])
    client = client_of(world, "centre")

    response = client.post(f"{POOL}{expert.pk}/remove/", follow=True)

    assert "已将 杨林 移出专家库，不再推荐和指派" in response.content.decode()
    assert "移出专家库；在办的 1 件争议仍由其继续承办" in response.content.decode()
    assert "杨林" not in names(propose(dispute_at(world, applicants="王五"), today=local_today()))
    assert Dispute.objects.get(pk=d.pk).assignments.get().coordinator == expert
    assert "杨林" not in page(world, "centre") and "杨林" in page(world, "centre", f"{POOL}?status=removed")

    client.post(f"{POOL}{expert.pk}/restore/")

    assert "杨林" in names(propose(dispute_at(world, applicants="王五"), today=local_today()))
    assert list(timeline(expert).values_list("action", flat=True)) == ["removed_from_pool", "returned_to_pool"]
    assert Coordinator.objects.filter(pk=expert.pk).exists()


# --- declarations of conflict --------------------------------------------------------------------------------------


def test_a_declared_conflict_keeps_the_expert_off_the_proposal_until_it_is_withdrawn(world: World) -> None:
    expert = make_coordinator("杨林", org=world.orgs["都匀司法局"], domains=["natural_resources"])
    other = make_coordinator("普通专家", org=world.orgs["州司法局"])
    staff = world.users["centre"]
    by_agency = declare_conflict(
        expert,
        organisation=world.orgs["都匀自然资源局"],
        person_name="",
        reason="配偶在该局任职",
        declared_on=local_today(),
        by=staff,
    )
    declare_conflict(expert, organisation=None, person_name="李四", reason="同学", declared_on=local_today(), by=staff)

    assert names(propose(dispute_at(world), today=local_today())) == [other.name]

    withdraw_conflict(by_agency, reason="配偶已调离该局", by=staff)

    # The declaration about 李四 is still in force: his dispute still may not have the expert; another may.
    assert names(propose(dispute_at(world, applicants="李四"), today=local_today())) == [other.name]
    assert names(propose(dispute_at(world, applicants="王五"), today=local_today()))[0] == expert.name
    d = assign_coordinators(dispute_at(world, applicants="王五"), [Choice(expert)], by=staff)
    assert d.state == DisputeState.ASSIGNED
    with pytest.raises(DisputeError, match="杨林 已申报回避（同学），不能指派"):
        assign_coordinators(dispute_at(world, applicants="李四"), [Choice(expert)], by=staff)


def test_declaring_and_withdrawing_through_the_page_leaves_a_trace_on_the_page_and_the_timeline(world: World) -> None:
    expert = make_coordinator("杨林", org=world.orgs["都匀司法局"])
    client = client_of(world, "centre")
    url = f"{POOL}{expert.pk}/"

    declared = client.post(
        f"{url}conflicts/",
        {"organisation": world.orgs["都匀自然资源局"].pk, "person_name": "", "reason": "配偶在该局任职",
         "declared_on": local_today().isoformat()},
        follow=True,
    )  # fmt: skip
    conflict = expert.conflicts.get()
    withdrawn = client.post(
        f"{url}conflicts/{conflict.pk}/withdraw/", {f"withdraw-{conflict.pk}-reason": "配偶已调离"}, follow=True
    )

    assert "已申报：杨林 回避都匀市自然资源局" in declared.content.decode()
    html = withdrawn.content.decode()
    assert "已撤回对都匀市自然资源局的回避申报" in html
    assert f"{local_today().isoformat()} 由centre撤回：配偶已调离" in html
    assert "暂无有效的利益冲突申报" in html
    conflict.refresh_from_db()
    assert (conflict.withdrawn_on, conflict.withdrawn_by, conflict.withdrawal_reason) == (
        local_today(), world.users["centre"], "配偶已调离",
    )  # fmt: skip
    assert [e.summary for e in timeline(expert)] == [
        f"申报利益冲突：回避都匀市自然资源局（配偶在该局任职），申报日期 {local_today().isoformat()}",
        "撤回利益冲突申报：回避都匀市自然资源局（撤回理由：配偶已调离）",
    ]
    assert 'data-testid="conflicts"><span class="text-muted">—</span>' in page(world, "centre")  # none in force


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"reason": "亲属"}, "请选择回避单位或填写回避当事人（至少一项）"),
        ({"person_name": "李四"}, "请填写回避事由"),
        ({"person_name": "李四", "reason": "亲属", "declared_on": "2099-01-01"}, "申报日期不能晚于今天"),
        ({"organisation": "999999", "reason": "亲属"}, "所选回避单位不在本中心可选的范围内"),
    ],
)
def test_a_declaration_with_bad_input_is_refused_with_its_reason_and_nothing_is_written(
    world: World, post: dict[str, str], message: str
) -> None:
    expert = make_coordinator("杨林", org=world.orgs["都匀司法局"])
    post = {"declared_on": local_today().isoformat(), **post}

    response = client_of(world, "centre").post(f"{POOL}{expert.pk}/conflicts/", post)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not expert.conflicts.exists() and not timeline(expert).exists()


def test_the_same_declaration_twice_and_a_second_withdrawal_are_refused(world: World) -> None:
    expert = make_coordinator("杨林", org=world.orgs["都匀司法局"])
    staff = world.users["centre"]
    conflict = declare_conflict(
        expert, organisation=None, person_name="李四", reason="同学", declared_on=local_today(), by=staff
    )

    with pytest.raises(DisputeError, match="已申报过对同一单位/当事人的回避"):
        declare_conflict(
            expert, organisation=None, person_name="李四", reason="同学", declared_on=local_today(), by=staff
        )
    withdraw_conflict(conflict, reason="误报", by=staff)
    with pytest.raises(DisputeError, match=r"已于 \d{4}-\d{2}-\d{2} 撤回"):
        withdraw_conflict(conflict, reason="再撤一次", by=staff)
    response = client_of(world, "centre").post(
        f"{POOL}{expert.pk}/conflicts/{conflict.pk}/withdraw/", {f"withdraw-{conflict.pk}-reason": "x"}, follow=True
    )
    assert "对李四的回避申报已于" in response.content.decode()
    neighbour = declare_conflict(
        expert, organisation=None, person_name="王五", reason="邻居", declared_on=local_today(), by=staff
    )
    empty_reason = client_of(world, "centre").post(f"{POOL}{expert.pk}/conflicts/{neighbour.pk}/withdraw/", {})
    assert "请填写撤回理由" in empty_reason.content.decode()
    assert expert.conflicts.in_force().count() == 1
    assert timeline(expert).count() == 3


def test_a_county_centre_may_declare_for_its_own_experts_only(world: World) -> None:
    own = make_coordinator("都匀专家", org=world.orgs["都匀司法局"])
    prefecture = make_coordinator("州专家", org=world.orgs["州司法局"])
    staff = world.users["centre_duyun"]

    declare_conflict(own, organisation=None, person_name="李四", reason="同学", declared_on=local_today(), by=staff)
    with pytest.raises(PermissionDenied):
        declare_conflict(
            prefecture, organisation=None, person_name="李四", reason="同学", declared_on=local_today(), by=staff
        )
    assert not prefecture.conflicts.exists()


def test_a_township_expert_belongs_to_the_county_centre_that_keeps_its_county(world: World) -> None:
    township = make_region("墨冲镇", 4, world.regions["都匀市"])
    expert = make_coordinator("乡镇专家", org=make_org("墨冲镇司法所", township, "justice_bureau"))

    assert client_of(world, "centre_duyun").get(f"{POOL}{expert.pk}/edit/").status_code == 200
    assert client_of(world, "centre").get(f"{POOL}{expert.pk}/edit/").status_code == 200
