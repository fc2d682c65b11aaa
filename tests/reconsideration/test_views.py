"""The reconsideration body's pages (issue 14 items 2–6, 9): the queue, the case file and its actions, the documents
and the archive, the respondent's replies. Each action goes through its page and writes its event; a refused one
shows the reason and writes nothing."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from typing import Any

import docx
import pytest
from django.test import Client
from django.urls import reverse

from fuyuan.core.models import Role, User
from fuyuan.deadlines.models import Deadline, DeadlineState
from fuyuan.reconsideration.choices import Stage
from fuyuan.reconsideration.models import Application
from fuyuan.reconsideration.workflow import (
    accept,
    decide,
    end_mediation,
    record_reply,
    record_service,
    request_correction,
    schedule_hearing,
    send_copy_to_respondent,
    send_hearing_notice,
    start_mediation,
)
from tests.factories import World, make_user
from tests.reconsideration.conftest import ID_NUMBER, PHONE, D, accepted, events_of, fresh, pdf, receive

pytestmark = pytest.mark.django_db


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def detail(pk: int) -> str:
    return reverse("reconsideration:detail", args=[pk])


def act(client: Client, app: Application, name: str, data: dict[str, Any] | None = None, **kw: Any) -> Any:
    values = {f"{name}-{k}": v for k, v in (data or {}).items()}
    response = client.post(reverse("reconsideration:act", args=[app.pk, name]), values, **kw)
    # A session that lapsed when the clock moved would redirect to the log-in page: not a success.
    assert "login" not in response.get("Location", ""), "the session lapsed: log in again after moving the clock"
    return response


# ---------------------------------------------------------------------------------------------------------------
# Who sees what


@pytest.mark.parametrize(
    ("username", "queue", "file"),
    [
        ("recon_pref", 200, 200),  # the body's staff
        ("agency_duyun", 403, 200),  # the respondent's liaison: the file (read), not the queue
        ("agency_fuquan", 403, 404),  # another agency
        ("centre", 403, 404),  # the coordination centre
        ("court_duyun", 403, 404),
    ],
)
def test_each_role_sees_only_its_own_files(world: World, client: Client, username: str, queue: int, file: int) -> None:
    app = receive(world).application
    login(client, world.users[username])
    assert client.get(reverse("reconsideration:queue")).status_code == queue
    assert client.get(detail(app.pk)).status_code == file


def test_another_body_sees_neither_the_file_nor_it_in_its_queue(world: World, client: Client) -> None:
    app = receive(world).application
    other = make_user("recon_duyun", Role.RECONSIDERATION_BODY, org=world.orgs["都匀司法局"])
    login(client, other)
    assert app.receipt_number not in client.get(reverse("reconsideration:queue")).content.decode()
    assert client.get(detail(app.pk)).status_code == 404
    assert client.get(detail(999999)).status_code == 404


def test_the_queue_lists_the_bodys_files_with_the_applicant_masked_and_the_next_deadline(
    world: World, client: Client
) -> None:
    app = receive(world).application
    page = login(client, world.users["recon_pref"]).get(reverse("reconsideration:queue")).content.decode()
    assert app.receipt_number in page and "都匀市自然资源局" in page
    assert "张*" in page and "张三" not in page and ID_NUMBER not in page
    assert "复议受理审查" in page  # the acceptance review is the next deadline


def test_the_queue_marks_a_deadline_near_and_one_past(world: World, client: Client, clock) -> None:
    clock(D(2026, 9, 29))
    late = accepted(world)  # the copy is due on 14 October (第48条: 7 working days)
    clock(D(2026, 10, 13))
    near = receive(world, applicant_name="李四").application  # its acceptance review runs to 20 October
    clock(D(2026, 10, 17))  # 临期: within 3 days
    page = login(client, world.users["recon_pref"]).get(reverse("reconsideration:queue")).content.decode()
    rows = {r.split("</a>")[0].rsplit(">", 1)[-1]: r for r in page.split('data-testid="queue-row"')[1:]}
    assert "逾期" in rows[late.receipt_number] and "已逾期 3 日" in rows[late.receipt_number]
    assert "临期" in rows[near.receipt_number] and "还有 3 日" in rows[near.receipt_number]


def test_the_queue_names_each_files_nearest_open_deadline_and_a_dash_for_a_file_with_none(
    world: World, client: Client, clock
) -> None:
    clock(D(2026, 9, 1))
    waiting = receive(world).application  # its acceptance review runs to 8 September
    # Two more deadlines opened after it: the nearest is the one in the middle, neither the first nor the last made.
    for rule_id, due_on in (
        ("reconsideration.correction_notice", D(2026, 9, 3)),
        ("reconsideration.apply", D(2026, 12, 1)),
    ):
        Deadline.objects.create(
            case=waiting.case, rule_id=rule_id, start_on=D(2026, 9, 1), due_on=due_on, owner=waiting.body
        )
    done = receive(world, applicant_name="李四").application
    Deadline.objects.filter(case=done.case).update(state=DeadlineState.MET, met_on=D(2026, 9, 1))
    page = login(client, world.users["recon_pref"]).get(reverse("reconsideration:queue")).content.decode()
    rows = {r.split("</a>")[0].rsplit(">", 1)[-1]: r for r in page.split('data-testid="queue-row"')[1:]}
    assert "复议申请补正通知" in rows[waiting.receipt_number] and "还有 2 日" in rows[waiting.receipt_number]
    assert "复议受理审查" not in rows[waiting.receipt_number]
    assert "—" in rows[done.receipt_number] and "复议受理审查" not in rows[done.receipt_number]


def test_the_queue_filters_by_stage_and_procedure(world: World, client: Client) -> None:
    waiting = receive(world).application
    simplified = accepted(world, procedure="simplified", amount=1000)
    login(client, world.users["recon_pref"])
    page = client.get(reverse("reconsideration:queue"), {"stage": Stage.ACCEPTED}).content.decode()
    assert simplified.receipt_number in page and waiting.receipt_number not in page
    page = client.get(reverse("reconsideration:queue"), {"procedure": "ordinary"}).content.decode()
    assert waiting.receipt_number in page and simplified.receipt_number not in page


def test_the_queue_costs_the_same_queries_for_many_files(
    world: World, client: Client, django_assert_max_num_queries: Any
) -> None:
    receive(world)
    login(client, world.users["recon_pref"])
    with django_assert_max_num_queries(12):
        client.get(reverse("reconsideration:queue"))
    for n in range(8):
        receive(world, applicant_name=f"李{n}")
        accepted(world, applicant_name=f"王{n}")
    with django_assert_max_num_queries(12) as queries:
        response = client.get(reverse("reconsideration:queue"))
    assert response.content.decode().count('data-testid="queue-row"') == 17
    # The body's files are counted from the file's own body (queries.body_files), without joining their cases.
    (count,) = [
        q["sql"] for q in queries.captured_queries if "reconsideration_application" in q["sql"] and "COUNT" in q["sql"]
    ]
    assert "cases_case" not in count and '"body_id" =' in count


def test_the_file_page_costs_the_same_queries_for_many_materials_and_events(
    world: World, client: Client, head: User, files: Any, django_assert_max_num_queries: Any
) -> None:
    app = accepted(world)
    login(client, head)
    with django_assert_max_num_queries(30):
        client.get(detail(app.pk))
    send_copy_to_respondent(app, by=head)
    for n in range(5):
        act(client, app, "material", {"kind": "other", "file": pdf(f"材料{n}.pdf")})
    with django_assert_max_num_queries(30):
        response = client.get(detail(app.pk))
    assert response.content.decode().count('data-testid="material"') == 5


def test_the_file_masks_personal_data_for_the_respondent_and_offers_the_reveal_to_the_staff(
    world: World, client: Client
) -> None:
    app = receive(world).application
    staff_page = login(client, world.users["recon_pref"]).get(detail(app.pk)).content.decode()
    assert ID_NUMBER not in staff_page and PHONE not in staff_page and "data-reveal" in staff_page
    assert "都匀市文峰路1号" in staff_page
    agency_page = login(Client(), world.users["agency_duyun"]).get(detail(app.pk)).content.decode()
    assert ID_NUMBER not in agency_page and "data-reveal" not in agency_page
    assert "都匀市文峰路1号" not in agency_page


# ---------------------------------------------------------------------------------------------------------------
# Actions through the page


def test_examination_correction_and_acceptance_through_the_page_each_write_their_event(
    world: World, client: Client
) -> None:
    app = receive(world).application
    login(client, world.users["recon_pref"])
    assert act(client, app, "examine").status_code == 302
    assert act(client, app, "correction", {"items": "1. 身份证复印件\n2. 处罚决定书"}).status_code == 302
    assert fresh(app).correction_items == ["身份证复印件", "处罚决定书"]
    assert events_of(app)[-2:] == ["examination_started", "correction_requested"]


def test_accepting_shows_the_article_53_suggestions_and_takes_the_simplified_procedure(
    world: World, client: Client
) -> None:
    app = receive(world, amount=800).application
    login(client, world.users["recon_pref"])
    page = client.get(detail(app.pk)).content.decode()
    assert "第53条第1款第三项" in page
    assert act(client, app, "accept", {"procedure": "simplified"}).status_code == 302
    assert fresh(app).procedure == "simplified" and events_of(app)[-1] == "accepted"


def test_a_refused_action_shows_its_reason_and_writes_nothing(world: World, client: Client) -> None:
    app = receive(world).application  # 20000 yuan, no 第53条 reason
    login(client, world.users["recon_pref"])
    before = events_of(app)
    response = act(client, app, "accept", {"procedure": "simplified"})
    assert response.status_code == 200
    assert "不属于行政复议法第53条第1款所列情形" in response.content.decode()
    assert events_of(app) == before and fresh(app).stage == Stage.RECEIVED


def test_the_correction_is_asked_once(world: World, client: Client) -> None:
    app = receive(world).application
    request_correction(app, items=["身份证复印件"], by=world.users["recon_pref"])
    login(client, world.users["recon_pref"])
    before = events_of(app)
    response = act(client, app, "correction", {"items": "再补一项"})
    assert "补正通知只能发出一次" in response.content.decode() and events_of(app) == before


def test_rejection_names_the_competent_body(world: World, client: Client) -> None:
    app = receive(world).application
    login(client, world.users["recon_pref"])
    other = world.orgs["都匀司法局"]
    assert (
        act(
            client,
            app,
            "reject",
            {"grounds": ["not_competent"], "reason": "不属于本机关管辖", "competent_body": other.pk},
        ).status_code
        == 302
    )
    assert fresh(app).stage == Stage.REJECTED and fresh(app).competent_body == other


def test_only_the_head_decides_and_the_staff_member_is_told_so(world: World, client: Client, head: User) -> None:
    app = accepted(world)
    login(client, world.users["recon_pref"])
    page = client.get(detail(app.pk)).content.decode()
    assert 'data-testid="action-decide"' not in page and "须经行政复议机构负责人批准" in page
    response = act(client, app, "decide", {"outcome": "revoked", "facts": "事实", "grounds": "理由"})
    assert response.status_code == 403 and "只有行政复议机构负责人可以作出行政复议决定" in response.content.decode()
    assert fresh(app).stage == Stage.ACCEPTED

    login(client, head)
    decided = act(client, app, "decide", {"outcome": "revoked", "facts": "处罚事实不清", "grounds": "主要事实不清"})
    assert decided.status_code == 302
    assert fresh(app).case.outcome == "revoked" and events_of(app)[-1] == "decided"


def test_the_procedure_from_copy_to_publication_through_the_page(
    world: World, client: Client, head: User, clock
) -> None:
    staff = world.users["recon_pref"]
    clock(D(2026, 9, 29))
    app = accepted(world)
    clock(D(2026, 9, 30))
    login(client, staff)
    assert act(client, app, "copy").status_code == 302
    assert act(client, app, "extension", {"reason": "案情复杂", "days": 30}).status_code == 302
    assert act(client, app, "suspend", {"reason": "等待另案结果"}).status_code == 302
    assert act(client, app, "resume").status_code == 302
    members = [make_user("committee_a", Role.RECONSIDERATION_BODY, org=world.orgs["州司法局"])]
    assert act(client, app, "committee", {"ground": "major", "members": [members[0].pk]}).status_code == 302
    assert (
        act(client, app, "advice", {"review": fresh(app).committee_reviews.get().pk, "advice": "建议撤销"}).status_code
        == 302
    )
    login(client, head)
    assert act(client, app, "approve_extension", {"days": 30}).status_code == 302
    clock(D(2026, 10, 9))
    login(client, world.users["agency_duyun"])
    assert act(client, app, "reply", {"text": "事实清楚"}).status_code == 302
    login(client, head)
    assert act(client, app, "decide", {"outcome": "revoked", "facts": "事实", "grounds": "理由"}).status_code == 302
    login(client, staff)
    assert act(client, app, "service", {"on": "2026-10-09"}).status_code == 302
    assert act(client, app, "publish", {"text": "申请人张三不服……决定撤销。"}).status_code == 302
    assert events_of(app)[-11:] == [
        "copy_sent", "extension_requested", "suspended", "resumed", "referred_to_committee", "committee_advice",
        "extension_approved", "reply_recorded", "decided", "served", "published",
    ]  # fmt: skip
    assert "张某" in fresh(app).published_text


def test_hearing_and_mediation_through_the_page(world: World, client: Client, clock) -> None:
    staff = world.users["recon_pref"]
    clock(D(2026, 9, 1))
    app = accepted(world)
    login(client, staff)
    assert (
        act(
            client, app, "hearing", {"held_at": "2026-09-15T09:30", "place": "第一听证室", "matters": "处罚依据"}
        ).status_code
        == 302
    )
    hearing = fresh(app).hearings.get()
    assert act(client, app, "hearing_notice", {"hearing": hearing.pk}).status_code == 302
    liaison = login(Client(), world.users["agency_duyun"])
    refused = act(liaison, app, "hearing_head", {"hearing": hearing.pk, "name": "李四"})
    assert "不在都匀市自然资源局" in refused.content.decode()
    assert act(liaison, app, "hearing_head", {"hearing": hearing.pk, "name": "王局长"}).status_code == 302
    clock(D(2026, 9, 15))
    login(client, staff)
    assert (
        act(
            client, app, "hearing_record", {"hearing": hearing.pk, "head_attended": "1", "record": "双方陈述"}
        ).status_code
        == 302
    )
    assert act(client, app, "mediation_start", {"kind": "mediation", "mediator": "调解和解委员会"}).status_code == 302
    mediation = fresh(app).mediations.get()
    assert (
        act(
            client, app, "mediation_end", {"mediation": mediation.pk, "succeeded": "1", "terms": "撤回处罚\n退还罚款"}
        ).status_code
        == 302
    )
    assert fresh(app).case.outcome == "mediated"
    assert events_of(app)[-6:] == [
        "hearing_scheduled", "hearing_notice_sent", "hearing_head_designated", "hearing_recorded",
        "mediation_started", "mediation_succeeded",
    ]  # fmt: skip


def test_the_head_issues_an_opinion_through_the_page_into_the_rectification_book(
    world: World, client: Client, head: User, files: Any
) -> None:
    app = accepted(world)
    login(client, head)
    data = {"number": "黔南州复意字〔2026〕1号", "text": "处罚程序不规范", "items": "1. 规范听证告知\n2. 开展培训"}
    response = act(client, app, "opinion", {**data, "document": pdf("意见书.pdf")})
    assert response.status_code == 302 and events_of(app)[-1] == "opinion_issued"
    opinion = fresh(app).opinions.get()
    document = client.get(reverse("reconsideration:document", args=[app.pk, f"opinion-{opinion.pk}"]))
    assert "规范听证告知" in _docx_text(document.content)


def test_a_committee_member_sees_the_case_referred_and_gives_the_advice_there(world: World, client: Client) -> None:
    from fuyuan.reconsideration.workflow import refer_to_committee

    app = accepted(world)
    other = accepted(world, applicant_name="李四", contested_act="都匀市自然资源局不予登记决定")
    member = make_user("committee_b", Role.RECONSIDERATION_BODY, org=world.orgs["都匀司法局"])
    review = refer_to_committee(app, ground="major", members=[member], by=world.users["recon_pref"])
    login(client, member)
    page = client.get(detail(app.pk)).content.decode()
    assert 'data-testid="action-advice"' in page and 'data-testid="action-decide"' not in page
    assert 'data-testid="action-copy"' not in page and ID_NUMBER not in page
    assert client.get(detail(other.pk)).status_code == 404
    assert act(client, app, "advice", {"review": review.pk, "advice": "建议撤销"}).status_code == 302
    assert events_of(app)[-1] == "committee_advice"
    assert act(client, app, "copy").status_code == 403


def test_materials_upload_and_download(world: World, client: Client, files: Any) -> None:
    app = accepted(world)
    login(client, world.users["recon_pref"])
    assert act(client, app, "material", {"kind": "applicant_evidence", "file": pdf("证据.pdf")}).status_code == 302
    material = fresh(app).materials.get()
    response = client.get(reverse("reconsideration:material", args=[app.pk, material.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert (
        login(Client(), world.users["agency_fuquan"])
        .get(reverse("reconsideration:material", args=[app.pk, material.pk]))
        .status_code
        == 404
    )


# ---------------------------------------------------------------------------------------------------------------
# Documents and the archive


def _docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


def _all_documents_case(world: World, head: User, clock: Any) -> Application:
    staff = world.users["recon_pref"]
    clock(D(2026, 9, 1))
    app = receive(world).application
    request_correction(app, items=["身份证复印件"], by=staff)
    from fuyuan.reconsideration.workflow import receive_correction

    clock(D(2026, 9, 2))
    receive_correction(app, reply="已补正", by=staff)
    app = accept(app, by=staff)
    send_copy_to_respondent(app, by=staff)
    hearing = schedule_hearing(
        app,
        held_at=datetime.datetime(2026, 9, 21, 9, 30, tzinfo=datetime.UTC),
        place="听证室",
        matters="依据",
        by=staff,
    )
    send_hearing_notice(hearing, by=staff)
    record_reply(app, text="事实清楚，证据确凿", by=world.users["agency_duyun"])
    clock(D(2026, 9, 22))
    decide(app, outcome="revoked", facts="事实不清", grounds="主要事实不清", by=head)
    return fresh(app)


def test_every_document_of_the_file_downloads_and_opens(
    world: World, client: Client, head: User, clock, files: Any
) -> None:
    app = _all_documents_case(world, head, clock)
    login(client, world.users["recon_pref"])
    page = client.get(detail(app.pk)).content.decode()
    keys = ["correction", "acceptance", "reply", "decision"]
    for key in keys:
        assert f'data-testid="document-{key}"' in page
        response = client.get(reverse("reconsideration:document", args=[app.pk, key]))
        assert response.status_code == 200, key
        text = _docx_text(response.content)
        assert "黔南州司法局" in text and "黔南州复" in text
    hearing = app.hearings.get()
    for to in ("applicant", "respondent"):
        response = client.get(reverse("reconsideration:document", args=[app.pk, f"hearing-{hearing.pk}-{to}"]))
        assert "听证" in _docx_text(response.content)
    decision = _docx_text(client.get(reverse("reconsideration:document", args=[app.pk, "decision"])).content)
    assert "撤销被申请人" in decision and "主要事实不清" in decision
    # A document that does not apply (no refusal here) is refused.
    assert client.get(reverse("reconsideration:document", args=[app.pk, "refusal"])).status_code == 403


def test_the_refusal_and_the_mediation_statement_download(world: World, client: Client, clock) -> None:
    staff = world.users["recon_pref"]
    rejected = receive(world).application
    login(client, staff)
    act(
        client,
        rejected,
        "reject",
        {"grounds": ["not_competent"], "reason": "不属于本机关管辖", "competent_body": world.orgs["都匀司法局"].pk},
    )
    text = _docx_text(client.get(reverse("reconsideration:document", args=[rejected.pk, "refusal"])).content)
    assert "都匀市司法局" in text

    mediated = accepted(world, applicant_name="李四")
    mediation = start_mediation(mediated, kind="mediation", mediator="调解和解委员会", by=staff)
    end_mediation(mediation, succeeded=True, terms="撤回处罚决定", by=staff)
    text = _docx_text(client.get(reverse("reconsideration:document", args=[mediated.pk, "mediation"])).content)
    assert "撤回处罚决定" in text


def test_the_archive_of_a_decided_file_opens_with_its_catalogue(
    world: World, client: Client, head: User, clock, files: Any
) -> None:
    app = _all_documents_case(world, head, clock)
    login(client, world.users["recon_pref"])
    act(client, app, "material", {"kind": "other", "file": pdf("送达回证.pdf")})
    record_service(app, on=D(2026, 9, 22), by=world.users["recon_pref"])
    response = client.get(reverse("reconsideration:archive", args=[app.pk]))
    assert response.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert names[0].endswith("卷宗目录.docx")
    assert any("行政复议决定书" in n for n in names) and any("送达回证" in n for n in names)


def test_an_open_file_cannot_be_archived(world: World, client: Client) -> None:
    app = accepted(world)
    login(client, world.users["recon_pref"])
    assert 'data-testid="archive"' not in client.get(detail(app.pk)).content.decode()
    assert client.get(reverse("reconsideration:archive", args=[app.pk])).status_code == 403


# ---------------------------------------------------------------------------------------------------------------
# The respondent's replies


def test_the_respondent_lists_the_files_awaiting_its_reply_with_the_due_date(
    world: World, client: Client, clock
) -> None:
    clock(D(2026, 9, 29))
    app = accepted(world)
    send_copy_to_respondent(app, by=world.users["recon_pref"])
    login(client, world.users["agency_duyun"])
    page = client.get(reverse("reconsideration:replies")).content.decode()
    # 第48条: 10 working days from the copy (29 September): 30 Sep, 8, 9, 10, 12 … 19 October.
    assert app.receipt_number in page and "2026-10-19" in page
    other = login(Client(), world.users["agency_fuquan"]).get(reverse("reconsideration:replies")).content.decode()
    assert app.receipt_number not in other
    assert login(Client(), world.users["recon_pref"]).get(reverse("reconsideration:replies")).status_code == 403


def test_the_respondent_replies_with_evidence_and_a_late_reply_is_flagged(
    world: World, client: Client, clock, files: Any
) -> None:
    clock(D(2026, 9, 29))
    app = accepted(world)
    send_copy_to_respondent(app, by=world.users["recon_pref"])
    clock(D(2026, 10, 21))  # the reply was due on 19 October
    login(client, world.users["agency_duyun"])
    url = reverse("reconsideration:reply", args=[app.pk])
    assert "已逾期" in client.get(url).content.decode()
    response = client.post(url, {"reply-text": "处罚事实清楚", "evidence": [pdf("证据一.pdf"), pdf("证据二.pdf")]})
    assert response.status_code == 302
    app = fresh(app)
    assert app.reply_late and app.reply_text == "处罚事实清楚"
    assert sorted(m.name for m in app.materials.all()) == ["证据一.pdf", "证据二.pdf"]
    assert events_of(app)[-3:] == ["reply_recorded", "material_added", "material_added"]
    assert "逾期答复" in client.get(url).content.decode()


def test_a_refused_reply_writes_neither_the_reply_nor_its_evidence(world: World, client: Client, files: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    app = accepted(world)
    send_copy_to_respondent(app, by=world.users["recon_pref"])
    login(client, world.users["agency_duyun"])
    before = events_of(app)
    bad = SimpleUploadedFile("病毒.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(reverse("reconsideration:reply", args=[app.pk]), {"reply-text": "答复", "evidence": [bad]})
    assert response.status_code == 200 and "不是可接受的文件" in response.content.decode()
    assert events_of(app) == before and fresh(app).reply_received_on is None


def test_the_respondent_cannot_act_as_the_body(world: World, client: Client) -> None:
    app = receive(world).application
    login(client, world.users["agency_duyun"])
    response = act(client, app, "examine")
    assert response.status_code == 403 and fresh(app).stage == Stage.RECEIVED


# ---------------------------------------------------------------------------------------------------------------
# CSRF and CSP on these pages (tests/core/test_csrf.py and test_csp.py crawl them without files to open)

POST_FORM = re.compile(r"<form\b[^>]*method=\"post\"[^>]*>(.*?)</form>", re.S)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>")
HANDLER = re.compile(r"<[^>]+\son[a-z]+=", re.I)


def test_every_form_of_the_file_and_reply_pages_carries_the_token_and_nothing_runs_inline(
    world: World, client: Client, head: User
) -> None:
    app = accepted(world)
    send_copy_to_respondent(app, by=world.users["recon_pref"])
    pages = [
        login(client, head).get(detail(app.pk)).content.decode(),
        login(Client(), world.users["recon_pref"]).get(reverse("reconsideration:queue")).content.decode(),
        login(Client(), world.users["agency_duyun"])
        .get(reverse("reconsideration:reply", args=[app.pk]))
        .content.decode(),
        login(Client(), world.users["agency_duyun"]).get(reverse("reconsideration:replies")).content.decode(),
    ]
    forms = [f for page in pages for f in POST_FORM.findall(page)]
    assert len(forms) > 10
    assert all("csrfmiddlewaretoken" in f for f in forms)
    assert not any(INLINE_SCRIPT.search(page) or HANDLER.search(page) for page in pages)
