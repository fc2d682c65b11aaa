"""The joint-meeting pages through the Django test client: the list of the region's meetings, an office's members,
the form that records a meeting and its decisions, a meeting's page with its actions and the figures pack, and a
liaison's 我的议定事项; the lists run as many queries whatever the rows."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from fuyuan.meetings.models import DecisionState, Meeting, MeetingKind
from fuyuan.meetings.workflow import DecisionDraft, record_meeting
from tests.factories import World
from tests.meetings.conftest import NOW, Council, D
from tests.visible import visible_text as page_text

pytestmark = pytest.mark.django_db


def visible_text(html: str) -> str:
    return " ".join(page_text(html).split())


def client_of(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world.users[persona])
    return client


def more_meetings(council: Council, n: int) -> None:
    o, u = council.world.orgs, council.world.users
    for i in range(n):
        record_meeting(
            council.office, kind=MeetingKind.LOSS_ANALYSIS, title=f"第{i + 1}次败诉分析研判会", held_on=D(2026, 11, 1),
            place="会议室", agenda=["研判"], participants=[], minutes="", by=u["rol_duyun"], now=NOW,
            decisions=[DecisionDraft(f"事项{i}", o["都匀自然资源局"], D(2026, 11, 15)),
                       DecisionDraft(f"事项{i}乙", o["都匀法院"], D(2026, 12, 31))],
        )  # fmt: skip


def test_the_list_shows_the_office_and_its_meetings_with_what_became_of_their_decisions(
    council: Council, clock, django_assert_max_num_queries: Any
) -> None:  # type: ignore[no-untyped-def]
    client = client_of(council.world, "rol_duyun")
    client.get(reverse("meetings:list"))
    with django_assert_max_num_queries(12):
        page = client.get(reverse("meetings:list"))
    text = visible_text(page.content.decode())
    assert "都匀市府院联席会议办公室" in text and "现任成员 4 名" in text and "登记会议" in text
    assert "2026-11-20 2026年度府院联席会议 年度联席会议 都匀市府院联席会议办公室 2 0 0" in text

    more_meetings(council, 5)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("meetings:list"))
    text = visible_text(page.content.decode())
    assert text.count("败诉分析研判会 都匀市府院联席会议办公室 2 0 1") == 5  # one overdue each


def test_a_leader_sees_the_list_without_the_means_to_record_and_a_liaison_is_sent_to_their_tasks(
    council: Council,
) -> None:
    page = client_of(council.world, "leader_pref").get(reverse("meetings:list"))
    assert page.status_code == 200 and "登记会议" not in visible_text(page.content.decode())
    assert client_of(council.world, "court_duyun").get(reverse("meetings:list")).url == reverse("meetings:mine")
    assert client_of(council.world, "coordinator").get(reverse("meetings:list")).status_code == 403


def test_the_office_records_a_meeting_with_two_decisions_through_the_form(world: World, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.meetings.conftest import open_duyun_office

    settings.DATA_DIR = tmp_path
    office = open_duyun_office(world)
    o = world.orgs
    client = client_of(world, "rol_duyun")
    assert client.get(reverse("meetings:new", args=[office.pk])).status_code == 200
    values = {
        "kind": MeetingKind.SPECIAL, "title": "征地拆迁专题会议", "held_on": "2026-11-20", "place": "市政府会议室",
        "agenda": "通报征地拆迁案件\n研究补偿标准", "minutes": "议定两项事项",
        "person_name": ["李副市长", ""], "person_post": ["副市长", ""], "person_org": [o["都匀政府"].pk, ""],
        "decision_text": ["开展自查", "通报共性问题"], "decision_owner": [o["都匀自然资源局"].pk, o["都匀法院"].pk],
        "decision_due": ["2026-12-31", ""],
    }  # fmt: skip
    refused = client.post(reverse("meetings:new", args=[office.pk]), values)
    assert refused.status_code == 400
    assert "议定事项第2项：请填写办结期限" in visible_text(refused.content.decode())
    assert not Meeting.objects.exists()
    assert 'value="通报共性问题"' in refused.content.decode() or "通报共性问题</textarea>" in refused.content.decode()

    values["decision_due"] = ["2026-12-31", "2027-01-15"]
    done = client.post(reverse("meetings:new", args=[office.pk]), values, follow=True)
    meeting = Meeting.objects.get()
    assert done.redirect_chain[-1][0] == reverse("meetings:detail", args=[meeting.pk])
    text = visible_text(done.content.decode())
    assert "已登记“征地拆迁专题会议”，议定事项 2 项已通知牵头单位" in text
    assert [(d.text, d.owner.name, d.due_on) for d in meeting.decisions.all()] == [
        ("开展自查", "都匀市自然资源局", D(2026, 12, 31)), ("通报共性问题", "都匀市人民法院", D(2027, 1, 15)),
    ]  # fmt: skip
    assert client_of(world, "leader_pref").get(reverse("meetings:new", args=[office.pk])).status_code == 403


def test_the_office_adds_a_member_and_a_bad_one_is_told(council: Council) -> None:
    o, u = council.world.orgs, council.world.users
    url = reverse("meetings:office", args=[council.office.pk])
    client = client_of(council.world, "rol_duyun")
    refused = client.post(url, {"role": "convenor", "organisation": o["都匀政府"].pk, "valid_from": "2026-01-01"})
    assert refused.status_code == 400 and "姓名：请填写召集人的姓名" in visible_text(refused.content.decode())
    client.post(url, {"role": "member", "organisation": o["都匀司法局"].pk, "valid_from": "2026-01-01"})
    text = visible_text(client.get(url).content.decode())
    assert "成员单位 都匀市司法局" in text and "李副市长" in text
    assert client_of(council.world, "leader_pref").post(url, {}).status_code == 403
    assert client_of(council.world, "agency_duyun").get(url).status_code == 404
    assert u  # personas used above


def test_the_agency_reports_on_the_meetings_page_and_the_office_confirms(council: Council) -> None:
    first = council.meeting.decisions.get(position=1)
    agency = client_of(council.world, "agency_duyun")
    page = visible_text(agency.get(reverse("meetings:detail", args=[council.meeting.pk])).content.decode())
    assert "规范征收补偿程序" in page and "向市政府通报" not in page  # only its own unit's decision
    assert "下载会议材料" not in page
    empty = agency.post(reverse("meetings:report", args=[first.pk]), {f"r{first.pk}-text": ""})
    assert empty.status_code == 400 and "办理情况：请填写" in visible_text(empty.content.decode())
    agency.post(reverse("meetings:report", args=[first.pk]), {f"r{first.pk}-text": "已完成自查"})
    first.refresh_from_db()
    assert first.state == DecisionState.REPORTED
    assert agency.post(reverse("meetings:confirm", args=[first.pk])).status_code == 403

    office = client_of(council.world, "rol_duyun")
    done = office.post(reverse("meetings:confirm", args=[first.pk]), follow=True)
    assert "第1项议定事项已确认办结" in visible_text(done.content.decode())
    mine = visible_text(agency.get(reverse("meetings:mine")).content.decode())
    assert "没有待办的议定事项" in mine  # done: no longer shown


def test_my_tasks_lists_the_units_open_decisions_soonest_first_in_a_bounded_number_of_queries(
    council: Council, clock, django_assert_max_num_queries: Any
) -> None:  # type: ignore[no-untyped-def]
    client = client_of(council.world, "court_duyun")
    client.get(reverse("meetings:mine"))
    more_meetings(council, 4)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("meetings:mine"))
    text = visible_text(page.content.decode())
    assert text.index("向市政府通报征地拆迁类案件") < text.index("事项0乙")
    assert text.count("报告办结") == 5
    assert client_of(council.world, "leader_pref").get(reverse("meetings:mine")).status_code == 403


def test_the_pack_downloads_as_word_for_the_office_and_leaders_only(council: Council) -> None:
    url = reverse("meetings:pack", args=[council.meeting.pk])
    response = client_of(council.world, "leader_pref").get(url)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument")
    assert "filename*=UTF-8''20261120" in response["Content-Disposition"]
    doc = Document(io.BytesIO(response.content))
    assert "府院联动工作数据" in [p.text for p in doc.paragraphs]
    assert client_of(council.world, "agency_duyun").get(url).status_code == 403
    assert client_of(council.world, "agency_fuquan").get(url).status_code == 404
