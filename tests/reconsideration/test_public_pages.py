"""The citizen's online reconsideration application without an account (SPEC §6.8 item 1): applying with material,
the receipt with its code shown once, following the file with the receipt number and the code, correcting the
application until it is examined, and supplying the 补正 asked for.

The test day is Wednesday 2 December 2026 (tests/conftest.py): the 5-working-day review ends Wednesday 9 December."""

from __future__ import annotations

import re
from typing import Any

import pytest
from captcha.conf import settings as captcha_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from fuyuan.reconsideration.choices import Channel, MaterialKind, Stage
from fuyuan.reconsideration.models import Application, Material
from fuyuan.reconsideration.workflow import request_correction, start_examination
from tests.factories import World
from tests.reconsideration.conftest import PDF, D, events_of, fresh, receive

# A valid ID number (its check digit right), as the public form checks it.
ID_NUMBER = "522701199001011238"
APPLY = "/reconsideration/apply/"
DONE = "/reconsideration/apply/done/"
FOLLOW = "/reconsideration/apply/follow/"
AMEND = "/reconsideration/apply/follow/amend/"
CORRECT = "/reconsideration/apply/follow/correct/"


@pytest.fixture(autouse=True)
def challenge_test_mode(monkeypatch: pytest.MonkeyPatch, files: Any, clock: Any) -> None:
    """The picture challenge accepts "PASSED" here (django-simple-captcha's test mode); files go to a temporary
    DATA_DIR; the clock stands on Wednesday 2 December 2026 (the dates below count from it, in every week of
    ``make test-week``)."""
    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)
    clock(D(2026, 12, 2))


def html(response: Any) -> str:
    return str(response.content.decode())


def form(world: World, **values: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "body": world.orgs["州司法局"].pk,
        "respondent_name": "都匀市自然资源局",
        "contested_act": "都匀市自然资源局作出的林业行政处罚决定",
        "act_document_number": "都自然资罚〔2026〕8号",
        "known_on": "2026-11-20",
        "request": "撤销该行政处罚决定",
        "facts_and_reasons": "没有采伐林木，处罚认定事实错误",
        "applicant_name": "张三",
        "applicant_id_number": ID_NUMBER,
        "applicant_phone": "139 1234 5678",
        "applicant_address": "都匀市文峰路1号",
        "challenge_0": "key",
        "challenge_1": "PASSED",
    }
    data.update(values)
    return {k: v for k, v in data.items() if v is not None}


def pdf(name: str = "处罚决定书.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def applied(client: Client, world: World, **values: Any) -> tuple[Application, str, str]:
    """Apply through the page; (the file, the receipt page, the code read off it)."""
    response = client.post(APPLY, form(world, **values))
    assert response.status_code == 302, html(response)
    page = html(client.get(DONE))
    code = re.search(r'data-testid="follow-code">(\d{8})<', page)
    assert code is not None
    return Application.objects.latest("id"), page, code[1]


def follow(client: Client, receipt: str, code: str) -> Any:
    return client.post(FOLLOW, {"receipt_number": receipt, "code": code}, follow=True)


def test_a_citizen_applies_online_without_an_account_and_gets_a_receipt_with_the_code_shown_once(
    world: World,
) -> None:
    client = Client()
    assert client.get(APPLY).status_code == 200

    application, page, code = applied(client, world, materials=[pdf(), pdf("身份证.pdf")])

    assert (application.channel, application.stage) == (Channel.ONLINE, Stage.RECEIVED)
    assert application.respondent == world.orgs["都匀自然资源局"] and application.applicant_phone == "13912345678"
    assert [m.name for m in application.materials.all()] == ["处罚决定书.pdf", "身份证.pdf"]
    assert {m.kind for m in application.materials.all()} == {MaterialKind.APPLICATION}
    assert application.receipt_number in page and "请现在就把收件编号和查询码抄写下来" in page
    assert "2026年12月9日" in page  # the 5-working-day review (行政复议法第30条)
    assert ID_NUMBER not in page and "5227**********1238" in page
    assert "超过申请期限" not in page
    # The code is shown once: the receipt page reloaded keeps the number, not the code.
    again = html(client.get(DONE))
    assert application.receipt_number in again and code not in again and "查询码只显示一次" in again


def test_each_wrong_field_is_named_in_chinese_and_nothing_is_written(world: World) -> None:
    response = Client().post(
        APPLY,
        form(
            world,
            body=None,
            respondent_name="不存在的局",
            applicant_id_number="522701199001011239",
            applicant_phone="12345",
            known_on="2030-01-01",
            request="",
            materials=[SimpleUploadedFile("决定书.pdf", b"not a pdf")],
        ),
    )

    page = html(response)
    assert response.status_code == 200
    assert "申请没有提交，请修改以下各处后重新提交" in page
    for message in (
        "请选择行政复议机构",
        "身份证号码不正确",
        "手机号码应为11位数字",
        "知道该行政行为的日期不能晚于今天",
        "请填写申请事项",
        "“决定书.pdf”的内容不是 PDF",
    ):
        assert message in page, message
    assert "改正后请重新选择要上传的文件" in page
    assert not Application.objects.exists() and not Material.objects.exists()


def test_a_respondent_outside_the_bodys_area_is_named(world: World) -> None:
    page = html(Client().post(APPLY, form(world, body=world.orgs["都匀司法局"].pk, respondent_name="福泉市公安局")))

    assert "在都匀市司法局的管辖范围内没有找到“福泉市公安局”" in page
    assert not Application.objects.exists()


def test_a_late_application_is_received_and_the_receipt_says_it_is_late(world: World) -> None:
    application, page, _ = applied(Client(), world, known_on="2026-09-01")

    assert application.is_late_application
    # 60 days from 1 September end on Saturday 31 October, moved to Monday 2 November (the next working day)
    assert application.apply_due_on == D(2026, 11, 2)
    assert "您的申请已超过申请期限" in page and "已于 2026年11月2日 届满" in page
    assert "正当理由" in page


def test_submissions_over_the_limit_from_one_address_are_refused_and_write_nothing(world: World, settings: Any) -> None:
    settings.FUYUAN_APPLY_LIMIT = 1
    client = Client(REMOTE_ADDR="10.0.0.8")
    applied(client, world)

    response = client.post(APPLY, form(world, request="第二件"))

    assert response.status_code == 429 and "本次提交<strong>没有</strong>被登记" in html(response)
    assert Application.objects.count() == 1


def test_the_follow_page_shows_the_state_and_its_steps_in_plain_words(world: World) -> None:
    client = Client()
    application, _, code = applied(client, world)

    page = html(follow(client, application.receipt_number, code))

    assert "待审查" in page and "已收到行政复议申请" in page and "2026年12月9日" in page
    assert ID_NUMBER not in page and "13912345678" not in page and "139****5678" in page
    assert "修改申请、补充材料" in page


def test_a_wrong_code_gets_the_same_answer_as_a_missing_receipt_number(world: World) -> None:
    client = Client()
    application, _, code = applied(client, world)
    wrong = "00000000" if code != "00000000" else "11111111"

    wrong_code = html(follow(Client(), application.receipt_number, wrong))
    missing = html(follow(Client(), "黔南州复申〔2026〕999999号", code))

    def answer(page: str) -> str:
        found = re.search(r'data-testid="form-errors">(.*?)</div></div>', page, re.S)
        assert found is not None
        return found[1]

    assert answer(wrong_code) == answer(missing)
    assert "收件编号或查询码不正确" in answer(missing)
    assert application.applicant_name not in wrong_code and "办理经过" not in wrong_code


def test_lookups_over_the_limit_from_one_address_are_refused(world: World, settings: Any) -> None:
    settings.FUYUAN_APPLY_LIMIT = 2
    client = Client(REMOTE_ADDR="10.0.0.9")
    follow(client, "a", "1")
    follow(client, "b", "2")

    response = client.post(FOLLOW, {"receipt_number": "c", "code": "3"})

    assert response.status_code == 429 and "本次查询<strong>没有</strong>进行" in html(response)


def test_the_applicant_amends_the_application_before_it_is_examined(world: World) -> None:
    client = Client()
    application, _, code = applied(client, world)
    follow(client, application.receipt_number, code)
    page = html(client.get(AMEND))
    assert ID_NUMBER not in page and "5227**********1238" in page

    response = client.post(
        AMEND,
        {
            **form(
                world,
                request="撤销该行政处罚决定，并返还罚款",
                applicant_id_number="",
                applicant_phone="",
                applicant_address="",
            ),
            "version": application.version,
            "materials": [pdf("证人证言.pdf")],
        },
        follow=True,
    )

    page = html(response)
    assert "申请已修改" in page and "申请人修改了申请" in page
    amended = fresh(application)
    assert amended.request == "撤销该行政处罚决定，并返还罚款"
    assert amended.applicant_id_number == ID_NUMBER and amended.applicant_phone == "13912345678"  # blank: unchanged
    assert "证人证言.pdf" in [m.name for m in amended.materials.all()]
    assert "amended" in events_of(amended)


def test_once_examined_the_application_can_no_longer_be_amended_and_the_page_says_why(world: World) -> None:
    client = Client()
    application, _, code = applied(client, world)
    follow(client, application.receipt_number, code)
    start_examination(application, by=world.users["recon_pref"])

    shown = html(client.get(FOLLOW))
    response = client.post(AMEND, {**form(world, request="改过的请求"), "version": application.version + 1})

    assert "申请已不能在网上修改" in shown and "开始审查" in shown
    page = html(response)
    assert "已经开始审查您的申请" in page and "不能再在网上修改" in page
    assert fresh(application).request == "撤销该行政处罚决定" and "amended" not in events_of(application)


def test_a_window_application_cannot_be_amended_online(world: World) -> None:
    receipt = receive(world, on=D(2026, 12, 2), applicant_id_number=ID_NUMBER)
    client = Client()
    follow(client, receipt.application.receipt_number, receipt.follow_code)

    assert "不是在网上提交的" in html(client.get(FOLLOW))
    assert "不是在网上提交的" in html(client.post(AMEND, form(world)))


def test_the_correction_asked_for_is_listed_with_its_last_day_and_supplied_online(world: World) -> None:
    client = Client()
    application, _, code = applied(client, world)
    request_correction(application, items=["行政处罚决定书复印件", "身份证复印件"], by=world.users["recon_pref"])
    follow(client, application.receipt_number, code)

    page = html(client.get(FOLLOW))
    assert "行政处罚决定书复印件" in page and "身份证复印件" in page
    assert "补正期限：<strong>2026年12月16日</strong>" in page  # 10 working days from 2 December

    empty = html(client.post(CORRECT, {"reply": ""}))
    assert "请填写补正说明或者上传补正材料" in empty and fresh(application).stage == Stage.CORRECTION_REQUESTED

    response = client.post(CORRECT, {"reply": "已补交两份复印件", "materials": [pdf("身份证复印件.pdf")]}, follow=True)

    page = html(response)
    corrected = fresh(application)
    assert corrected.stage == Stage.EXAMINING and corrected.correction_reply == "已补交两份复印件"
    assert [m.kind for m in corrected.materials.all()] == [MaterialKind.CORRECTION]
    assert "补正材料已提交" in page and "已收到补正材料" in page and "受理审查期限：2026年12月9日" in page


def test_leaving_the_follow_page_forgets_the_file(world: World) -> None:
    client = Client()
    application, _, code = applied(client, world)
    follow(client, application.receipt_number, code)

    client.post(reverse("reconsideration_public:leave"))

    page = html(client.get(FOLLOW))
    assert "办理经过" not in page and "查询码" in page
    assert client.get(AMEND).status_code == 302


def test_an_amendment_from_a_page_opened_before_another_one_is_refused_and_says_why(world: World) -> None:
    client = Client()
    application, _, code = applied(client, world)
    follow(client, application.receipt_number, code)
    opened = application.version
    client.post(AMEND, {**form(world, request="第一次修改"), "version": opened})

    page = html(client.post(AMEND, {**form(world, request="第二次修改"), "version": opened}))

    assert "您的申请在打开本页之后已经修改过" in page and "本次修改没有保存" in page
    assert fresh(application).request == "第一次修改"


def test_the_form_warns_before_submitting_from_the_first_day_a_late_application_would_be_flagged(
    world: World,
) -> None:
    from fuyuan.reconsideration.public_forms import earliest_timely_known_on

    # 60 days from Tuesday 1 September end on Saturday 31 October, moved to Monday 2 November; from Monday 31 August
    # they end on Friday 30 October: applying on 2 November, the first is in time and the second late (第20条).
    assert earliest_timely_known_on(D(2026, 11, 2)) == D(2026, 9, 1)
    page = html(Client().get(APPLY))
    limit = earliest_timely_known_on(D(2026, 12, 2)).isoformat()
    assert f'data-apply-limit="{limit}"' in page and 'data-testid="late-known-on" hidden' in page
    # A form sent back with an error still shows the warning when the day given is late.
    again = html(Client().post(APPLY, form(world, known_on="2026-09-01", applicant_phone="1391234")))
    assert "手机号码应为11位数字" in again and 'data-testid="late-known-on">' in again


def test_the_session_keeps_a_proof_of_the_code_never_the_code_and_checks_no_password_per_file(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.contrib.auth import hashers

    from fuyuan.reconsideration import queries

    checks: list[str] = []
    real = hashers.check_password
    monkeypatch.setattr(queries, "check_password", lambda code, hashed: checks.append(code) or real(code, hashed))
    client = Client()
    application, _, code = applied(client, world, materials=[pdf("一.pdf"), pdf("二.pdf"), pdf("三.pdf")])
    assert checks == [] and application.materials.count() == 3
    request_correction(application, items=["身份证复印件"], by=world.users["recon_pref"])

    follow(client, application.receipt_number, code)
    assert checks == [code]
    assert code not in str(dict(client.session.items()))
    client.post(CORRECT, {"reply": "补交", "materials": [pdf("甲.pdf"), pdf("乙.pdf"), pdf("丙.pdf")]})

    assert checks == [code]  # the proof, not the code, is checked on each request and for each file
    assert fresh(application).materials.filter(kind=MaterialKind.CORRECTION).count() == 3
    # A new code (the body gave the applicant another) ends the proof the session kept.
    Application.objects.filter(pk=application.pk).update(follow_code_hash="pbkdf2_sha256$1000$x$y")
    assert 'name="receipt_number"' in html(client.get(FOLLOW)) and application.receipt_number not in html(
        client.get(FOLLOW)
    )
