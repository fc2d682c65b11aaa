"""Walking the demo as each role: every list page has rows, every role lands on its own work, the data reach the day
the demo is loaded, and the supervision records were made by their workflows (``fuyuan.demo.supervision``)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from fuyuan.accountability.models import ClueTransfer, Compilation, DutyState, ReportDuty, TransferState
from fuyuan.cases.models import Case
from fuyuan.consultation.choices import Answer
from fuyuan.consultation.models import ConsultationMeeting, RiskNotice
from fuyuan.core.models import Role, User
from fuyuan.core.timeline import timeline
from fuyuan.core.views import LANDING
from fuyuan.demo.generator import DEMO_PASSWORD, DEMO_USERS
from fuyuan.hearings.models import Hearing
from fuyuan.meetings.models import Decision, DecisionState, JointOffice, Meeting, MeetingKind, MemberRole
from fuyuan.nonlitigation.choices import Stage
from fuyuan.nonlitigation.models import EnforcementFile
from fuyuan.packaging.models import CasePackage, PackageState
from fuyuan.performance.models import ItemState as PerformanceState
from fuyuan.performance.models import PerformanceItem
from fuyuan.rectification.models import Item, ItemState, Recommendation
from fuyuan.stats import figures
from tests.conftest import Clock
from tests.kept import kept_for_the_module

# A Monday: the demo's cases reach Sunday, its hearings fill the coming week, 通报 defaults to November.
NOW = timezone.make_aware(datetime.datetime(2026, 12, 7, 10, 0))
# Large enough that every county has a loss rate (the written-report duties) and hearings for the logins' agencies.
SIZE = "2000"
# The module loads a demo of 2,000 cases (half a minute or more), once for its tests, on one worker under `make test`
# (tests/conftest.py, SHARED_SETUP): `make quick` leaves them out.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# The list pages of each role's menu (fuyuan/templates/base.html). Not lists, and so not here: 监督看板 (figures, with
# tests of its own), 通报 (a form for the month's document; its month is checked below), 期限计算器, 台账导入,
# 安全策略, 系统配置, 配置数据, 登录锁定 (no account is locked in a fresh demo), and the inbox (the bell, not a menu entry).
# 临期/逾期 is listed for the roles that see a whole region: one agency's or court's deadlines falling due in the next
# days depend on the demo's size.
CASE_PAGES = ["stats:figures", "cases:list"]
REGION_PAGES = [*CASE_PAGES, "deadlines:list", "hearings:week", "disputes:queue", "disputes:pool"]
SUPERVISION = [
    "stats:weekly", "accountability:list", "stats:benchmarks", "accountability:loss_list",
    "accountability:typical_list", "packaging:list", "packaging:dispatch", "rectification:list",
]  # fmt: skip
# 府院联动 (``fuyuan.demo.linkage``): a liaison's 联席会议 is its unit's open tasks. The 中院 takes no 非诉执行 application
# (a basic court does): a county court's liaison walks that list below.
LINKAGE = ["meetings:list", "consultation:list", "performance:list", "nonlitigation:list"]
# 依法决策 (``fuyuan.demo.decisions``): the 州's decisions, their figures and the disputes they produced, the legal
# matters and the 司法局's review queue.
DECISIONS = ["decisions:list", "decisions:figures", "decisions:sources", "legalreview:list", "legalreview:queue"]
# 执法监督 (``fuyuan.demo.filereview``): the year's review plan with its files and results, and the 旁听 sessions.
ENFORCEMENT = ["filereview:plans", "filereview:files", "filereview:results", "filereview:sheets", "attendance:list",
               "attendance:compliance"]  # fmt: skip
LIST_PAGES: dict[str, list[str]] = {
    Role.RULE_OF_LAW_OFFICE: [
        *REGION_PAGES,
        *SUPERVISION,
        "accountability:transfer_list",
        *LINKAGE,
        *DECISIONS,
        *ENFORCEMENT,
    ],
    Role.LEADER: [*REGION_PAGES, *SUPERVISION, *LINKAGE, *DECISIONS, *ENFORCEMENT],
    Role.AGENCY_LIAISON: [
        *CASE_PAGES,
        "hearings:mine",
        "accountability:loss_list",
        "rectification:list",
        "accountability:typical_list",
        "reconsideration:replies",
        "meetings:mine",
        "consultation:list",
        "performance:list",
        "nonlitigation:list",
        "decisions:list",
        "decisions:figures",
        "legalreview:list",
        "filereview:files",
        "attendance:list",
    ],
    Role.COURT_LIAISON: [
        *CASE_PAGES,
        "hearings:court",
        "accountability:loss_list",
        "rectification:list",
        "meetings:mine",
        "consultation:list",
        "performance:list",
    ],
    Role.RECONSIDERATION_BODY: [
        *CASE_PAGES,
        "rectification:list",
        "reconsideration:queue",
        "reconsideration_figures:figures",
        "decisions:list",
        "legalreview:list",
        "legalreview:queue",
    ],
    Role.CENTRE_STAFF: [*CASE_PAGES, "disputes:queue", "disputes:pool"],
    Role.COORDINATOR: ["disputes:mine"],
    Role.DISCIPLINE_LIAISON: ["accountability:transfer_list"],
    # 执法监督 (``fuyuan.demo.enforcement``, ``fuyuan.demo.filereview``).
    Role.ENFORCEMENT_SUPERVISION: [
        "enforcement:officers",
        "enforcement:alerts",
        "enforcement:bodies",
        "enforcement:decisions",
        *ENFORCEMENT,
    ],
    # A 特邀执法监督员 sees only the files assigned to them (fuyuan/filereview/queries.py).
    Role.INVITED_SUPERVISOR: ["filereview:files"],
    Role.SYSTEM_ADMIN: ["admins:users", "notifications:outbox", "api:systems"],
    Role.SECURITY_ADMIN: ["admins:users"],
    Role.AUDIT_ADMIN: ["audit:log"],
}
# The persona of each role a newcomer meets first (the first of its role in the printed table); the government's
# liaison for the entry only its menu has, 书面报告; and the 云城区 court's for its 非诉执行 applications.
PERSONAS = {next(u.username for u in DEMO_USERS if u.role == role): LIST_PAGES[role] for role in Role}
PERSONAS["jg_shimen_zf"] = ["accountability:list"]
PERSONAS["fy_yuncheng"] = ["nonlitigation:list"]


@pytest.fixture(scope="module")
def loaded_demo(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """``fuyuan demo`` at ``NOW``, once for the module's tests (``kept_for_the_module``), its files (reports,
    documents, compilations) in a temporary data folder."""

    def generate() -> None:
        with time_machine.travel(NOW, tick=False):
            call_command("demo", "--cases", SIZE, stdout=StringIO())

    with override_settings(DATA_DIR=tmp_path_factory.mktemp("demo")), kept_for_the_module(django_db_blocker, generate):
        yield


@pytest.fixture
def demo(loaded_demo: None, clock: Clock) -> None:
    """The module's demo, on its day: the test runs at ``NOW``."""
    clock(NOW)


def rows(html: str) -> int:
    """The data rows of a page: table rows with more than one cell (an empty list's one row spans the table)."""
    bodies = re.findall(r"<tbody.*?</tbody>", html, re.S)
    table_rows = [r for body in bodies for r in re.findall(r"<tr\b.*?</tr>", body, re.S)]
    data = [r for r in table_rows if len(re.findall(r"<td\b", r)) > 1]
    return len(data)


def test_every_list_page_of_every_role_has_rows_after_the_demo(demo: None) -> None:
    empty = []
    for username, pages in PERSONAS.items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        for page in pages:
            response = client.get(reverse(page))
            assert response.status_code == 200, (username, page)
            if rows(response.content.decode()) == 0:
                empty.append(f"{username} {page}")

    assert empty == [], "\n".join(empty)


def test_each_demo_persona_lands_on_the_page_of_its_own_work(demo: None) -> None:
    for username in PERSONAS:
        user = User.objects.get(username=username)
        client = Client()
        client.login(username=username, password=DEMO_PASSWORD)

        response = client.get("/", follow=True)

        assert response.redirect_chain[-1][0] == reverse(LANDING[user.role]), username
        assert response.status_code == 200, username


def test_the_demo_reaches_the_day_it_is_loaded(demo: None) -> None:
    today = timezone.localdate(NOW)
    yesterday = today - datetime.timedelta(days=1)

    assert Case.objects.filter(concluded_on=yesterday).exists() or Case.objects.filter(filed_on=yesterday).exists()
    assert not Case.objects.filter(concluded_on__gte=today).exists()
    for field in ("received_on", "accepted_on", "filed_on", "complaint_served_on", "defence_submitted_on",
                  "hearing_on", "judgment_served_on", "effective_on"):  # fmt: skip
        assert not Case.objects.filter(**{f"{field}__gte": today}).exists(), field
    assert Case.objects.filter(concluded_on__gte=today - datetime.timedelta(days=7)).exists()
    assert Hearing.objects.filter(held_on__range=(today, today + datetime.timedelta(days=7))).exists()
    # 通报's default month (the last one) has figures.
    last_month = figures.table(Case.objects.all(), datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))
    assert last_month["counts"]["litigation.concluded"] > 0 and last_month["counts"]["reconsideration.received"] > 0


def _has_workflow_timeline(record: object) -> bool:
    events = list(timeline(record))  # type: ignore[arg-type]
    return bool(events) and all(e.at <= NOW for e in events) and [e.at for e in events] == sorted(e.at for e in events)


def test_the_supervision_lists_have_rows_in_several_states_each_with_its_timeline(demo: None) -> None:
    today = timezone.localdate(NOW)

    duties = list(ReportDuty.objects.all())
    assert {d.state for d in duties} >= {DutyState.CLOSED, DutyState.SUBMITTED}
    assert any(d.is_overdue(today) or d.state == DutyState.OPEN for d in duties)
    transfers = list(ClueTransfer.objects.all())
    assert {t.state for t in transfers} >= {
        TransferState.COUNTY, TransferState.PREFECTURE, TransferState.TRANSFERRED, TransferState.ACKNOWLEDGED,
        TransferState.ANSWERED,
    }  # fmt: skip
    packages = list(CasePackage.objects.all())
    assert {p.state for p in packages} == set(PackageState.values)
    active = [p for p in packages if p.state == PackageState.ACTIVE]
    assert any(p.is_lagging(today) for p in active) and any(not p.is_lagging(today) for p in active)
    assert any(p.interviews.exists() for p in packages) and any(p.progress.exists() for p in packages)
    items = list(Item.objects.all())
    assert {i.state for i in items} == set(ItemState.values)
    assert any(i.is_overdue(today) for i in items) and any(not i.is_overdue(today) for i in items)
    assert Recommendation.objects.filter(closed_at__isnull=False).exists()
    compilations = list(Compilation.objects.all())
    assert {c.state for c in compilations} == {"draft", "issued"}

    for record in [*duties, *transfers, *packages, *Recommendation.objects.all(), *compilations]:
        assert _has_workflow_timeline(record), record


def test_the_linkage_lists_have_records_in_several_states_each_made_by_its_workflow(demo: None) -> None:
    today = timezone.localdate(NOW)

    offices = list(JointOffice.objects.all())
    assert len(offices) == 2 and all(o.members.filter(role=MemberRole.CONVENOR).exists() for o in offices)
    meetings = list(Meeting.objects.all())
    assert {m.kind for m in meetings} == set(MeetingKind.values)
    decisions = list(Decision.objects.all())
    assert {d.state for d in decisions} == set(DecisionState.values)
    assert any(d.state == DecisionState.ASSIGNED and d.due_on < today for d in decisions)  # overdue
    assert any(d.state == DecisionState.ASSIGNED and d.return_note for d in decisions)  # sent back
    notices = list(RiskNotice.objects.select_related("case"))
    assert {n.answer for n in notices} == {"", *Answer.values}
    assert any(n.answer == Answer.CORRECT and n.resolved for n in notices)  # 自行纠正, then the suit withdrawn
    assert any(n.answer == "" and n.answer_due_on < today for n in notices)
    assert ConsultationMeeting.objects.exists()
    items = list(PerformanceItem.objects.prefetch_related("measures"))
    assert any(i.state == PerformanceState.PERFORMED and not i.performed_late for i in items)
    assert any(i.performed_late and i.measures.all() for i in items)  # late, after the court's measure (第96条)
    assert any(i.state == PerformanceState.NOT_PERFORMED and i.is_overdue(today) for i in items)
    assert any(i.state == PerformanceState.OPEN and not i.is_overdue(today) for i in items)
    files = list(EnforcementFile.objects.all())
    assert {f.stage for f in files} >= {
        Stage.REGISTERED, Stage.REMINDED, Stage.APPLIED, Stage.REFUSED, Stage.HANDED_OVER, Stage.DONE,
    }  # fmt: skip
    assert all(f.refusal_causes for f in files if f.stage == Stage.REFUSED)
    assert all(f.may_apply_from and f.may_apply_from > today for f in files if f.stage == Stage.REMINDED)

    for record in [*offices, *meetings, *files]:
        assert _has_workflow_timeline(record), record
    for case in {*(n.case for n in notices), *(i.case for i in items)}:
        assert _has_workflow_timeline(case), case
