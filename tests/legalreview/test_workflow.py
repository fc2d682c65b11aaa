"""Each path of a matter through the review, the refusals with the field named and nothing written, and the period."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile

from fuyuan.core.models import Event
from fuyuan.core.timeline import timeline
from fuyuan.legalreview.choices import Adoption, Conclusion, MatterKind, MatterState
from fuyuan.legalreview.models import LegalMatter
from fuyuan.legalreview.rules import review_due, review_rule
from fuyuan.legalreview.workflow import (
    ReviewError,
    assign_reviewer,
    give_opinion,
    record_adoption,
    return_for_material,
    submit_matter,
    supply_material,
)
from fuyuan.notifications.models import Channel, Notification
from fuyuan.obligations.models import Obligation
from tests.factories import World
from tests.legalreview.conftest import D, submitted, under_review

pytestmark = pytest.mark.django_db


def actions(matter: LegalMatter) -> list[str]:
    return [e.action for e in timeline(matter).order_by("at", "id")]


def obligation(matter: LegalMatter) -> Obligation:
    return Obligation.objects.get(kind="legalreview.review", subject_id=matter.pk)


def told(username: str) -> list[str]:
    return list(
        Notification.objects.filter(recipient__username=username, channel=Channel.IN_APP)
        .order_by("id")
        .values_list("subject", flat=True)
    )


def test_a_normative_document_found_lawful_and_followed(people: World) -> None:
    u = people.users
    matter = submitted(people)
    assert matter.review_body == people.orgs["都匀司法局"]
    assert (matter.received_on, matter.period_days, matter.due_on) == (D(2026, 12, 2), 7, D(2026, 12, 11))
    assert obligation(matter).due_on == D(2026, 12, 11)
    assert told("review_duyun") == ["【合法性审查】新送审事项待分办"]

    assign_reviewer(matter, reviewer=u["review_duyun"], by=u["review_duyun2"])
    give_opinion(
        matter,
        conclusion=Conclusion.LAWFUL,
        text="制定主体、权限、程序及内容均符合法律法规规定。",
        by=u["review_duyun"],
    )
    matter.refresh_from_db()
    assert (matter.state, matter.opinion_on, matter.days_to_opinion) == (MatterState.OPINION_GIVEN, D(2026, 12, 2), 0)
    assert obligation(matter).state == "met"
    assert told("agency_duyun")[-1] == "【合法性审查】审查意见：合法"

    record_adoption(matter, adoption=Adoption.ADOPTED, reason="", by=u["agency_duyun"])
    matter.refresh_from_db()
    assert (matter.state, matter.adoption) == (MatterState.CLOSED, Adoption.ADOPTED)
    assert actions(matter) == [
        "legal_matter_submitted", "legal_matter_assigned", "legal_matter_opinion", "legal_matter_adoption",
    ]  # fmt: skip
    assert timeline(matter).filter(action="legal_matter_opinion").get().actor == u["review_duyun"]


def test_a_contract_lawful_if_amended_is_partly_followed_with_its_reason(people: World, clock) -> None:  # type: ignore[no-untyped-def]
    u = people.users
    matter = under_review(people, kind=MatterKind.CONTRACT, title="城区停车场特许经营协议")
    assert matter.due_on == D(2026, 12, 16)  # 10 working days, the platform's default for a contract
    clock(D(2026, 12, 8))
    give_opinion(matter, conclusion=Conclusion.LAWFUL_IF_AMENDED, text="第八条违约责任应对等。", by=u["review_duyun"])
    with pytest.raises(ReviewError, match="“采纳情况说明”"):
        record_adoption(matter, adoption=Adoption.PARTLY, reason="  ", by=u["agency_duyun"])
    record_adoption(matter, adoption=Adoption.PARTLY, reason="违约责任已修改，期限条款维持。", by=u["agency_duyun"])
    matter.refresh_from_db()
    assert (matter.conclusion, matter.adoption, matter.days_to_opinion) == ("lawful_if_amended", "partly", 6)
    assert matter.on_time is True


def test_material_asked_pauses_the_period_and_the_answer_resumes_it(people: World, clock) -> None:  # type: ignore[no-untyped-def]
    u = people.users
    matter = under_review(people)  # due Friday 2026-12-11
    clock(D(2026, 12, 4))  # Friday: 5 working days left (7, 8, 9, 10, 11)
    return_for_material(matter, reason="请补充起草说明和征求意见情况。", by=u["review_duyun"])
    matter.refresh_from_db()
    assert (matter.state, matter.days_left) == (MatterState.AWAITING_MATERIAL, 5)
    assert obligation(matter).state == "cancelled"
    assert told("agency_duyun")[-1] == "【合法性审查】请补充材料"
    with pytest.raises(ReviewError, match="不能出具审查意见"):
        give_opinion(matter, conclusion=Conclusion.LAWFUL, text="x", by=u["review_duyun"])

    clock(D(2026, 12, 14))  # Monday, ten days later: the five days run again from here
    supply_material(matter, text="已补充起草说明及征求意见汇总。", by=u["agency_duyun"])
    matter.refresh_from_db()
    assert (matter.state, matter.due_on) == (MatterState.UNDER_REVIEW, D(2026, 12, 21))
    assert obligation(matter).state == "open" and obligation(matter).due_on == D(2026, 12, 21)
    assert told("review_duyun")[-1] == "【合法性审查】送审单位已补充材料"
    give_opinion(matter, conclusion=Conclusion.UNLAWFUL, text="超越制定权限。", by=u["review_duyun"])
    matter.refresh_from_db()
    assert matter.on_time is True and matter.days_to_opinion == 12
    assert actions(matter)[2:] == ["legal_matter_returned", "legal_matter_material_supplied", "legal_matter_opinion"]


def test_the_government_office_sends_through_its_依法治办_and_reports_the_adoption(people: World) -> None:
    u = people.users
    matter = submitted(people, by=u["rol_duyun"], kind=MatterKind.PETITION, title="某小区征收补偿信访事项")
    assert (matter.sender, matter.sender_name) == (None, "都匀市人民政府办公室")
    assert matter.due_on == D(2026, 12, 23)  # 15 working days
    assign_reviewer(matter, reviewer=u["review_duyun"], by=u["review_duyun"])
    give_opinion(matter, conclusion=Conclusion.LAWFUL, text="答复意见合法。", by=u["review_duyun"])
    with pytest.raises(ReviewError, match="无权反馈采纳情况"):
        record_adoption(matter, adoption=Adoption.ADOPTED, reason="", by=u["rol_pref"])
    record_adoption(matter, adoption=Adoption.NOT_ADOPTED, reason="情况已变化。", by=u["rol_duyun"])


def test_a_county_without_a_justice_bureau_sends_to_the_prefectures(people: World) -> None:
    matter = submitted(people, by=people.users["agency_fuquan"])
    assert matter.review_body == people.orgs["州司法局"]


def test_a_normative_document_over_a_holiday_counts_working_days_only(people: World) -> None:
    # 国庆 2026: 1–7 October off, Saturday 10 October a working day. From Tuesday 29 September the seven working days
    # are 30 Sep, 8, 9, 10, 12, 13 and 14 October.
    assert review_due(MatterKind.NORMATIVE, D(2026, 9, 29)) == D(2026, 10, 14)
    assert "重大行政决策程序暂行条例 第27条" in review_rule(MatterKind.NORMATIVE).source


def test_the_period_of_each_kind_is_set_by_the_deployment(settings) -> None:  # type: ignore[no-untyped-def]
    settings.FUYUAN_LEGALREVIEW_PERIOD_DAYS = {"contract": "5"}
    assert review_rule("contract").amount == 5
    assert "FUYUAN_LEGALREVIEW_PERIOD_DAYS" in review_rule("contract").source
    settings.FUYUAN_LEGALREVIEW_PERIOD_DAYS = {"contracts": "5"}
    with pytest.raises(ImproperlyConfigured, match="没有事项类别 contracts"):
        review_rule("contract")
    settings.FUYUAN_LEGALREVIEW_PERIOD_DAYS = {"contract": "five"}
    with pytest.raises(ImproperlyConfigured, match="应为正整数个工作日"):
        review_rule("contract")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "law"}, "“事项类别”"),
        ({"title": "  "}, "“事项名称”"),
        ({"title": "办" * 201}, "“事项名称”不能超过200字"),
        ({"text": ""}, "“送审内容”或上传“送审材料”"),
        ({"upload": SimpleUploadedFile("办法.txt", b"text")}, "送审材料：只接受"),
        ({"upload": SimpleUploadedFile("办法.pdf", b"not a pdf")}, "的内容不是 PDF"),
        ({"by": "court_duyun"}, "您无权报送"),
        ({"by": "recon_pref"}, "您无权报送"),
    ],
)
def test_a_bad_submission_is_refused_naming_the_field_and_nothing_is_written(
    people: World, change: dict, message: str
) -> None:
    values = {"kind": "normative", "title": "办法", "text": "正文", "by": people.users["agency_duyun"], **change}
    if isinstance(values["by"], str):
        values["by"] = people.users[values["by"]]
    with pytest.raises(ReviewError, match=message):
        submit_matter(**values)
    assert not LegalMatter.objects.exists() and not Event.objects.exists()


def test_each_step_is_refused_to_those_who_do_not_own_it(people: World) -> None:
    u = people.users
    matter = submitted(people)
    with pytest.raises(ReviewError, match="无权分办"):
        assign_reviewer(matter, reviewer=u["recon_pref"], by=u["recon_pref"])
    with pytest.raises(ReviewError, match="“承办人”应为都匀市司法局的在岗工作人员"):
        assign_reviewer(matter, reviewer=u["recon_pref"], by=u["review_duyun"])
    with pytest.raises(ReviewError, match="请选择“承办人”"):
        assign_reviewer(matter, reviewer=None, by=u["review_duyun"])
    assign_reviewer(matter, reviewer=u["review_duyun"], by=u["review_duyun"])
    with pytest.raises(ReviewError, match="只有承办人可以出具"):
        give_opinion(matter, conclusion=Conclusion.LAWFUL, text="x", by=u["review_duyun2"])
    with pytest.raises(ReviewError, match="请选择“审查结论”"):
        give_opinion(matter, conclusion="ok", text="x", by=u["review_duyun"])
    with pytest.raises(ReviewError, match="请填写“审查意见”"):
        give_opinion(matter, conclusion=Conclusion.LAWFUL, text=" ", by=u["review_duyun"])
    with pytest.raises(ReviewError, match="只有承办人可以退回"):
        return_for_material(matter, reason="x", by=u["agency_duyun"])
    with pytest.raises(ReviewError, match="无需补充材料"):
        supply_material(matter, text="x", by=u["agency_duyun"])
    with pytest.raises(ReviewError, match="不能反馈采纳情况"):
        record_adoption(matter, adoption=Adoption.ADOPTED, reason="", by=u["agency_duyun"])
    give_opinion(matter, conclusion=Conclusion.LAWFUL, text="合法。", by=u["review_duyun"])
    with pytest.raises(ReviewError, match="只有送审单位可以反馈"):
        record_adoption(matter, adoption=Adoption.ADOPTED, reason="", by=u["agency_fuquan"])
    with pytest.raises(ReviewError, match="请选择“采纳情况”"):
        record_adoption(matter, adoption="yes", reason="", by=u["agency_duyun"])
    assert len(actions(matter)) == 3
