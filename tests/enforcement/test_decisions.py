"""Major enforcement decisions: the 法制审核 before the decision (行政处罚法 第58条) and the 备案 after it. A decision made
without review, or filed late, is listed with the reason and its legal staff are reminded by the sweep."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fuyuan.enforcement import workflow as wf
from fuyuan.enforcement.choices import ReviewConclusion
from fuyuan.enforcement.models import MajorDecision
from fuyuan.notifications.sweep import run_sweep
from tests.enforcement.conftest import D, registered
from tests.enforcement.test_certificates import at, told
from tests.factories import World

pytestmark = pytest.mark.django_db


def listed(world: World, username: str = "zfjd_pref") -> str:
    client = Client()
    client.force_login(world.users[username])
    return client.get(reverse("enforcement:decisions") + "?problem=1").content.decode()


def test_a_decision_reviewed_before_and_filed_in_time_is_in_order(people: World) -> None:
    u = people.users
    d = registered(people)
    wf.record_review(d, conclusion=ReviewConclusion.AGREED, opinion="事实清楚，证据充分。", reviewed_on=D(2026, 11, 20),
                     by=u["agency_duyun"])  # fmt: skip
    d = wf.record_decision(d, decided_on=D(2026, 11, 23), number="都自然资罚〔2026〕8号", by=u["agency_duyun"])
    assert d.filing_due_on == D(2026, 12, 8)  # 15 days (FUYUAN_ENFORCEMENT_FILING_DAYS)
    d = wf.file_decision(d, filed_on=D(2026, 12, 1), by=u["agency_duyun"])
    assert d.reviewed_before and d.filed_in_time and d.filed_with == people.orgs["都匀司法局"]
    assert "某建材公司违法占地案" not in listed(people)
    run_sweep(at(D(2026, 12, 10)))
    assert told("agency_duyun") == []


def test_a_decision_without_review_surfaces_and_its_legal_staff_are_reminded_once(people: World) -> None:
    u = people.users
    d = registered(people)
    wf.record_decision(d, decided_on=D(2026, 12, 1), by=u["agency_duyun"])
    assert "未经法制审核" in listed(people)
    report = run_sweep(at(D(2026, 12, 2)))
    run_sweep(at(D(2026, 12, 3)))
    assert report.obligations.of(wf.DECISION) == (0, 1, 0)
    assert told("agency_duyun") == ["【执法监督】重大执法决定未经法制审核"]
    assert told("zfjd_pref") == ["【执法监督】重大执法决定未经法制审核"]
    # a review recorded afterwards (补审) ends the chasing; the decision stays one made without review
    wf.record_review(d, conclusion=ReviewConclusion.AGREED, opinion="补审。", reviewed_on=D(2026, 12, 2),
                     by=u["agency_duyun"])  # fmt: skip
    assert "决定作出后才法制审核（2026-12-02）" in listed(people)


def test_a_late_filing_surfaces_with_its_days_and_is_warned_then_chased(people: World, clock) -> None:  # type: ignore[no-untyped-def]
    u = people.users
    d = registered(people, by="agency_fuquan", title="某烟花店无证经营案")
    wf.record_review(d, conclusion=ReviewConclusion.AMENDED, opinion="罚款数额应予调整。", reviewed_on=D(2026, 11, 2),
                     by=u["agency_fuquan"])  # fmt: skip
    wf.record_decision(d, decided_on=D(2026, 11, 3), by=u["agency_fuquan"])  # due 2026-11-18
    assert "逾期未备案（已逾期14天）" in listed(people)
    run_sweep(at(D(2026, 12, 2)))
    assert told("agency_fuquan") == ["【执法监督】重大执法决定逾期未备案"]
    wf.file_decision(d, filed_on=D(2026, 12, 2), by=u["agency_fuquan"])
    assert "逾期备案（14天）" in listed(people)
    run_sweep(at(D(2026, 12, 3)))
    assert told("agency_fuquan") == ["【执法监督】重大执法决定逾期未备案"]
    # before its date the filing is warned (临期) once
    e = registered(people, by="agency_fuquan", title="某化工厂超标排放案")
    wf.record_review(e, conclusion=ReviewConclusion.AGREED, opinion="同意。", reviewed_on=D(2026, 12, 1),
                     by=u["agency_fuquan"])  # fmt: skip
    wf.record_decision(e, decided_on=D(2026, 12, 2), by=u["agency_fuquan"])  # due 2026-12-17, warned from 12-14
    run_sweep(at(D(2026, 12, 14)))
    run_sweep(at(D(2026, 12, 15)))
    assert told("agency_fuquan")[1:] == ["【执法监督】重大执法决定备案临期"]


def test_a_decision_made_against_a_refusing_review_surfaces(people: World) -> None:
    u = people.users
    d = registered(people)
    wf.record_review(d, conclusion=ReviewConclusion.REFUSED, opinion="证据不足，不同意作出决定。",
                     reviewed_on=D(2026, 11, 20), by=u["agency_duyun"])  # fmt: skip
    d = wf.record_decision(d, decided_on=D(2026, 11, 23), by=u["agency_duyun"])
    wf.file_decision(d, filed_on=D(2026, 11, 24), by=u["agency_duyun"])
    assert not d.reviewed_before
    assert "法制审核未通过仍作出决定" in listed(people)


def test_refusals_name_what_is_wrong_and_write_nothing(people: World) -> None:
    u = people.users
    d = registered(people)
    with pytest.raises(wf.EnforcementError, match="请先记录决定日期"):
        wf.file_decision(d, filed_on=D(2026, 12, 1), by=u["agency_duyun"])
    with pytest.raises(wf.EnforcementError, match="无权"):
        wf.record_decision(d, decided_on=D(2026, 12, 1), by=u["agency_fuquan"])
    with pytest.raises(wf.EnforcementError, match="“决定日期”不能晚于今天"):
        wf.record_decision(d, decided_on=D(2026, 12, 3), by=u["agency_duyun"])
    wf.record_decision(d, decided_on=D(2026, 11, 30), by=u["agency_duyun"])
    with pytest.raises(wf.EnforcementError, match="“备案日期”不能早于决定日期（2026-11-30）"):
        wf.file_decision(d, filed_on=D(2026, 11, 29), by=u["agency_duyun"])
    with pytest.raises(wf.EnforcementError, match="只有执法主体的法制审核人员"):
        registered(people, by="zfjd_pref")
    d.refresh_from_db()
    assert d.filed_on is None and MajorDecision.objects.count() == 1


def test_the_legal_staff_take_a_decision_through_its_page(people: World) -> None:
    client = Client()
    client.force_login(people.users["agency_duyun"])
    response = client.post(reverse("enforcement:decision_new"),
                           {"title": "某矿业公司越界开采案", "kind": "penalty", "ground": "complex"})  # fmt: skip
    d = MajorDecision.objects.get()
    assert response.url == reverse("enforcement:decision", args=[d.pk])
    page = reverse("enforcement:decision", args=[d.pk])
    client.post(page, {"step": "review", "review-conclusion": "agreed", "review-opinion": "同意。",
                       "review-reviewed_on": "2026-12-01"})  # fmt: skip
    client.post(page, {"step": "decide", "decide-decided_on": "2026-12-02", "decide-number": "都自然资罚〔2026〕9号"})
    response = client.post(page, {"step": "file", "file-filed_on": "2026-12-01"})
    assert "“备案日期”不能早于决定日期（2026-12-02）" in response.content.decode()
    client.post(page, {"step": "file", "file-filed_on": "2026-12-02"})
    d.refresh_from_db()
    assert (d.reviewed_on, d.decided_on, d.filed_on) == (D(2026, 12, 1), D(2026, 12, 2), D(2026, 12, 2))
    assert d.reviewer == people.users["agency_duyun"] and d.number == "都自然资罚〔2026〕9号"
    assert isinstance(timezone.now(), datetime.datetime)
