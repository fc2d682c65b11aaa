"""消息发送情况 (/notifications/outbox/): the system administrator sees how the outbox is doing — what is waiting,
what is being retried after a failure and why, what finally failed — and sends a failed message again. Never what
a message says (三员管理, SPEC §2): no subject, body or link."""

from __future__ import annotations

import datetime
import html

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings
from django.utils import timezone

from fuyuan.audit.models import AuditKind, AuditRecord
from fuyuan.notifications.models import Channel, Notification, NotificationState
from fuyuan.notifications.queries import OTHER_CATEGORY, OutboxFilter, category_of
from fuyuan.notifications.sender import MAX_ATTEMPTS, send_due
from fuyuan.notifications.workflow import Address, RequeueRefused, notify, requeue_all_failed, requeue_failed
from tests.factories import PASSWORD, World, make_case, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

BROKEN = "tests.notifications.test_outbox_page.BrokenGateway"
URL = "/notifications/outbox/"
SUBJECT = "【开庭前7日提醒】（2026）黔2701行初77号"
BODY = "原告欧阳靖远诉都匀市自然资源局一案定于下周开庭"
LINK = "/hearings/4242/"


class BrokenGateway:
    def send(self, phone: str, text: str) -> None:
        raise ConnectionError("短信网关无响应")


def remind(recipients: list, channels: tuple[str, ...], key: str = "hearing:4242:t7", **kw: object) -> None:
    notify(recipients, subject=SUBJECT, body=BODY, link=LINK, dedup_key=key, channels=channels, **kw)  # type: ignore[arg-type]


def as_user(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def page_text(client: Client, query: str = "") -> str:
    response = client.get(URL + query)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def failed(key: str, channel: str = Channel.SMS, phone: str = "13800000001") -> Notification:
    """A message whose fifth attempt failed."""
    notify([Address(phone=phone)], subject=SUBJECT, body=BODY, dedup_key=key, channels=(channel,))
    row = Notification.objects.get(dedup_key=key)
    Notification.objects.filter(pk=row.pk).update(
        state=NotificationState.FAILED, attempts=MAX_ATTEMPTS, last_error="短信网关无响应"
    )
    row.refresh_from_db()
    return row


# ---------------------------------------------------------------------------------------------------------------
# What the page shows


@override_settings(FUYUAN_SMS_BACKEND=BROKEN)
def test_a_failing_sms_gateway_shows_messages_retrying_with_the_error_then_failed(world: World) -> None:
    agency = world.users["agency_duyun"]
    remind([agency], (Channel.IN_APP, Channel.SMS), phones={agency.pk: "13800000001"})
    admin = as_user("sysadmin")

    send_due()
    text = page_text(admin, "?state=retrying")

    assert "待发送（重试中）" in text
    assert "短信网关无响应" in text
    assert "agency_duyun" in text
    assert "开庭前7日提醒" in text
    assert 'data-testid="total-retrying">1<' in text

    now = timezone.now()
    for _ in range(MAX_ATTEMPTS - 1):
        now = Notification.objects.get(channel=Channel.SMS).next_attempt_at
        send_due(now=now)
    text = page_text(admin, "?state=failed")

    assert 'data-testid="total-failed">1<' in text
    assert 'data-testid="total-retrying">0<' in text
    assert "已停止重试" in text
    assert f">{MAX_ATTEMPTS}<" in text
    assert "短信网关无响应" in text
    assert "重新发送" in text
    assert "站内消息" not in text.split('data-testid="outbox"')[1], "the sent in-app copy is filtered out"


def test_the_page_never_shows_a_messages_subject_body_or_link(world: World) -> None:
    agency = world.users["agency_duyun"]
    agency.email = "agency@duyun.example"
    agency.save()
    remind([agency], (Channel.IN_APP, Channel.EMAIL))
    failed("hearing:4242:escalated")
    send_due()

    text = page_text(as_user("sysadmin"))

    for secret in (SUBJECT, "（2026）黔2701行初77号", BODY, "欧阳靖远", LINK):
        assert secret not in text
    assert "开庭前7日提醒" in text and "出庭督办（一直达）" in text


def test_counts_per_channel_tell_pending_retrying_sent_and_failed(world: World) -> None:
    agency = world.users["agency_duyun"]
    remind([agency], (Channel.IN_APP,))
    send_due()
    remind([agency], (Channel.IN_APP,), key="hearing:4242:t1")
    failed("deadline:9:overdue")
    retrying = failed("deadline:9:due_soon")
    Notification.objects.filter(pk=retrying.pk).update(state=NotificationState.PENDING, attempts=2)

    text = page_text(as_user("sysadmin"))

    assert 'data-testid="total-pending">2<' in text
    assert 'data-testid="total-retrying">1<' in text
    assert 'data-testid="total-sent">1<' in text
    assert 'data-testid="total-failed">1<' in text


def test_the_list_is_filtered_by_state_channel_and_errors(world: World) -> None:
    agency = world.users["agency_duyun"]
    remind([agency], (Channel.IN_APP,))
    failed("deadline:9:overdue", channel=Channel.SMS)
    failed("package:3:closed", channel=Channel.EMAIL)
    admin = as_user("sysadmin")

    assert page_text(admin, "?state=failed").count('data-testid="outbox-row"') == 2
    assert page_text(admin, "?state=pending").count('data-testid="outbox-row"') == 1
    sms = page_text(admin, "?state=failed&channel=sms")
    assert sms.count('data-testid="outbox-row"') == 1 and "期限逾期提醒" in sms
    assert page_text(admin, "?with_error=1").count('data-testid="outbox-row"') == 2


def test_an_unknown_filter_is_told_in_chinese_and_the_whole_list_shown(world: World) -> None:
    failed("deadline:9:overdue")

    text = page_text(as_user("sysadmin"), "?state=lost&channel=pigeon")

    assert "筛选条件有误" in text
    assert "状态“lost”不存在" in text and "渠道“pigeon”不存在" in text
    assert text.count('data-testid="outbox-row"') == 1


def test_a_user_is_named_and_a_bare_address_is_masked(world: World) -> None:
    user = world.users["agency_duyun"]
    user.full_name = "张晓明"
    user.save()
    remind([user], (Channel.IN_APP,))
    remind([Address(phone="13812345678")], (Channel.SMS,))
    remind([Address(email="ouyang@example.com")], (Channel.EMAIL,))

    text = page_text(as_user("sysadmin"))

    assert "张晓明" in text
    assert "138****5678" in text and "13812345678" not in text
    assert "o***@example.com" in text and "ouyang@example.com" not in text


@pytest.mark.parametrize("persona", ["secadmin", "auditadmin", "rol_pref", "agency_duyun", "root"])
def test_nobody_but_the_system_administrator_sees_the_outbox_or_requeues(world: World, persona: str) -> None:
    if persona == "root":
        root = make_user("root", "")
        root.is_superuser = root.is_staff = True
        root.save()
    row = failed("deadline:9:overdue")
    client = as_user(persona)

    assert client.get(URL).status_code == 403
    assert client.post(f"{URL}{row.pk}/requeue/").status_code == 403
    assert client.post(f"{URL}requeue-failed/").status_code == 403
    row.refresh_from_db()
    assert row.state == NotificationState.FAILED


def test_the_page_costs_the_same_queries_for_many_messages(world: World, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    admin = as_user("sysadmin")
    users = [make_user(f"u{i}", "agency_liaison", org=world.orgs["都匀自然资源局"]) for i in range(60)]
    remind(users[:3], (Channel.IN_APP,))
    with django_assert_max_num_queries(12) as few:
        admin.get(URL)
    remind(users, (Channel.IN_APP,), key="hearing:4242:t1")
    for i in range(20):
        failed(f"deadline:{i}:overdue", phone=f"1380000{i:04d}")

    with django_assert_max_num_queries(len(few.captured_queries)):
        text = page_text(admin)

    assert text.count('data-testid="outbox-row"') == 50


# ---------------------------------------------------------------------------------------------------------------
# 重新发送


def test_a_requeued_message_is_sent_by_the_next_sending_with_the_whole_retry_schedule(
    world: World, settings, tmp_path
) -> None:
    settings.DATA_DIR = tmp_path
    row = failed("hearing:4242:t1")
    admin = as_user("sysadmin")

    response = admin.post(f"{URL}{row.pk}/requeue/", {"state": "failed"}, follow=True)

    text = html.unescape(response.content.decode())
    assert f"第 {row.pk} 号消息已重新排入发送队列" in text
    assert response.redirect_chain[-1][0] == f"{URL}?state=failed"
    row.refresh_from_db()
    assert (row.state, row.attempts) == (NotificationState.PENDING, 0)
    assert row.next_attempt_at <= timezone.now()
    assert send_due().sent == 1
    row.refresh_from_db()
    assert (row.state, row.attempts, row.last_error) == (NotificationState.SENT, 1, "")


@override_settings(FUYUAN_SMS_BACKEND=BROKEN)
def test_a_requeued_message_that_fails_again_is_retried_five_more_times(world: World) -> None:
    row = failed("hearing:4242:t1")
    requeue_failed(row, by=world.users["sysadmin"])

    now = timezone.now()
    for _ in range(MAX_ATTEMPTS):
        send_due(now=now)
        now = Notification.objects.get(pk=row.pk).next_attempt_at

    row.refresh_from_db()
    assert (row.state, row.attempts) == (NotificationState.FAILED, MAX_ATTEMPTS)


@pytest.mark.parametrize("state", [NotificationState.PENDING, NotificationState.SENT])
def test_a_message_that_did_not_fail_is_not_requeued_and_the_reason_is_told(world: World, state: str) -> None:
    row = failed("hearing:4242:t1")
    Notification.objects.filter(pk=row.pk).update(state=state, attempts=2)

    response = as_user("sysadmin").post(f"{URL}{row.pk}/requeue/", follow=True)

    label = NotificationState(state).label
    assert f"第 {row.pk} 号消息当前状态为“{label}”，只有发送失败的消息可以重新发送" in response.content.decode()
    row.refresh_from_db()
    assert (row.state, row.attempts) == (state, 2)
    assert not AuditRecord.objects.filter(target_type="notifications.notification").exists()
    with pytest.raises(RequeueRefused):
        requeue_failed(row, by=world.users["sysadmin"])


def test_the_requeue_checks_the_actor_is_the_system_administrator(world: World) -> None:
    row = failed("hearing:4242:t1")

    with pytest.raises(PermissionDenied):
        requeue_failed(row, by=world.users["secadmin"])
    with pytest.raises(PermissionDenied):
        requeue_all_failed(OutboxFilter(), by=world.users["rol_pref"])

    row.refresh_from_db()
    assert row.state == NotificationState.FAILED


def test_a_requeue_leaves_an_audit_record_naming_who_and_which_message(world: World) -> None:
    row = failed("hearing:4242:t1")

    as_user("sysadmin").post(f"{URL}{row.pk}/requeue/")

    record = AuditRecord.objects.get(target_type="notifications.notification")
    assert (record.kind, record.username, record.role) == (AuditKind.CHANGE, "sysadmin", "system_admin")
    assert record.target_id == str(row.pk)
    assert record.summary == f"重新发送第 {row.pk} 号消息（短信，开庭前1日提醒）"
    assert record.detail["last_error"] == "短信网关无响应"
    assert SUBJECT not in str(record.detail) and SUBJECT not in record.target_label


def test_requeue_all_sends_again_every_failed_message_the_filter_shows_and_audits_them(world: World) -> None:
    sms = [failed(f"deadline:{i}:overdue", phone=f"1380000{i:04d}") for i in range(3)]
    email = failed("package:3:closed", channel=Channel.EMAIL)
    admin = as_user("sysadmin")
    assert "全部重新发送（3 条发送失败）" in page_text(admin, "?channel=sms")

    response = admin.post(f"{URL}requeue-failed/", {"channel": "sms", "state": "failed"}, follow=True)

    assert "已将 3 条发送失败的消息重新排入发送队列" in response.content.decode()
    assert response.redirect_chain[-1][0] == f"{URL}?state=failed&channel=sms"
    states = dict(Notification.objects.values_list("pk", "state"))
    assert [states[r.pk] for r in sms] == [NotificationState.PENDING] * 3
    assert states[email.pk] == NotificationState.FAILED
    record = AuditRecord.objects.get(target_type="notifications.notification")
    assert record.username == "sysadmin"
    assert record.summary == "重新发送全部发送失败的消息 3 条，渠道：短信"
    assert record.detail["ids"] == [r.pk for r in sms]


def test_requeue_all_with_nothing_failed_writes_nothing(world: World) -> None:
    remind([world.users["agency_duyun"]], (Channel.IN_APP,))

    response = as_user("sysadmin").post(f"{URL}requeue-failed/", follow=True)

    assert "没有符合条件的发送失败消息" in response.content.decode()
    assert not AuditRecord.objects.filter(target_type="notifications.notification").exists()


def test_requeue_all_with_a_bad_filter_is_refused_with_the_reason(world: World) -> None:
    row = failed("deadline:1:overdue")

    response = as_user("sysadmin").post(f"{URL}requeue-failed/", {"channel": "pigeon"}, follow=True)

    assert "筛选条件有误，未重新发送：渠道“pigeon”不存在" in html.unescape(response.content.decode())
    row.refresh_from_db()
    assert row.state == NotificationState.FAILED


# ---------------------------------------------------------------------------------------------------------------
# 消息类别: named from the de-duplication key, written as each app writes it


@pytest.mark.parametrize(
    ("key", "category"),
    [
        ("hearing:7:notice", "开庭通知"),
        ("hearing:7:designated:12", "出庭负责人已指定"),
        ("hearing:7:excused", "负责人不能出庭说明"),
        ("hearing:7:absent", "负责人未出庭"),
        ("hearing:7:cancelled", "开庭取消"),
        ("hearing:7:t7", "开庭前7日提醒"),
        ("hearing:7:t1", "开庭前1日提醒"),
        ("hearing:7:escalated", "出庭督办（一直达）"),
        ("deadline:7:due_soon", "期限临期提醒"),
        ("deadline:7:overdue", "期限逾期提醒"),
        ("dispute:7:assigned:2026-03-02T09:30:00+08:00", "协调员指派"),
        ("package:7:created", "领导包案·新建"),
        ("package:7:edited:20260302093000123456", "领导包案·修改"),
        ("package:7:progress:3", "领导包案·进展报送"),
        ("package:7:interview:3", "领导包案·约谈记录"),
        ("package:7:closed", "领导包案·结束"),
        ("package:7:dispatch:2026-03", "领导包案·按月调度"),
        ("report_duty:7:opened", "书面报告·败诉率超过阈值"),
        ("report_duty:7:submitted:20260302093000123456", "书面报告·待审核"),
        ("report_duty:7:returned:20260302093000123456", "书面报告·退回补充"),
        ("report_duty:7:closed", "书面报告·已办结"),
        ("loss_review:7:opened", "败诉问责·新增败诉案件"),
        ("loss_review:7:noticed", "败诉问责·倒查分析"),
        ("loss_review:7:comment_invited", "败诉问责·法院点评"),
        ("loss_review:7:analysed", "败诉问责·组织约谈"),
        ("loss_review:7:closed", "败诉问责·已办结"),
        ("loss_review:7:withdrawn:20260302093000123456", "败诉问责·事项撤销"),
        ("clue_transfer:7:proposed", "移送纪委·县级初审"),
        ("clue_transfer:7:submitted", "移送纪委·复核"),
        ("clue_transfer:7:transferred", "移送纪委·签收线索"),
        ("clue_transfer:7:rejected", "移送纪委·不予移送"),
        ("clue_transfer:7:acknowledged", "移送纪委·已签收"),
        ("clue_transfer:7:answered", "移送纪委·结果反馈"),
        ("typical:7:issued", "典型案例印发"),
        ("rectification:7:registered", "整改销账·收到建议书"),
        ("rectification:7:reported:3:20260302093000123456", "整改销账·待核验"),
        ("rectification:7:returned:3:20260302093000123456", "整改销账·退回"),
        ("rectification:7:closed", "整改销账·已销账"),
        ("rectification:item:7:warned", "整改事项临期"),
        ("rectification:item:7:overdue", "整改事项逾期"),
    ],
)
def test_each_kind_of_message_the_apps_send_has_its_category(key: str, category: str) -> None:
    assert category_of(key) == category


@pytest.mark.parametrize(
    ("key", "category"),
    [
        ("hearing:7:rescheduled", "出庭应诉"),
        ("package:7", "领导包案"),
        ("newsletter:2026-03", OTHER_CATEGORY),
        ("42:t7", OTHER_CATEGORY),
        ("", OTHER_CATEGORY),
    ],
)
def test_a_key_not_in_the_table_falls_back_to_its_kind_or_a_neutral_category(key: str, category: str) -> None:
    assert category_of(key) == category


def test_the_messages_of_a_registered_hearing_are_shown_as_hearing_notices(world: World) -> None:
    from fuyuan.hearings.workflow import register_hearing

    case = make_case(
        number="（2026）黔2701行初78号", defendant=world.orgs["都匀自然资源局"], court=world.orgs["都匀法院"]
    )
    register_hearing(case, held_on=timezone.localdate() + datetime.timedelta(days=10), by=world.users["court_duyun"])
    assert Notification.objects.exists()

    text = page_text(as_user("sysadmin"))

    rows = text.split('data-testid="outbox"')[1]
    assert rows.count('data-testid="category">开庭通知<') == Notification.objects.count()
    assert "（2026）黔2701行初78号" not in text
