"""The demo's enforcement supervision (执法监督, SPEC §6.7 items 3 and 4), replayed through the apps' own transitions.

``build_filereview`` runs inside ``generate_demo`` once the cases exist, each transition "at" the day it happened
(``supervision.replayed_at``), so every record has its timeline:

- 案卷评查 (``filereview.workflow``): the 州司法局's supervision staff (``zfjd_zhou``) made last year's sheet, copied it
  to this year, and run this year's sampled review of four bodies (3 files each) with the 特邀执法监督员
  ``tyjd_zhou``; most files are scored — one vetoed (执法人员不足2人), one failing on points, one with a finding —
  some of ``tyjd_zhou``'s wait for scoring, and the body with the vetoed file has its 执法监督通知书 in the 销账本.
- 旁听庭审 (``attendance.workflow``): the units with a demo liaison record the hearings they attended; 青山县公安局
  has one this year, so it is behind the rule (at least 2 a year) and the sweep reminds it.

Determinism: the dates depend on the day the demo runs, nothing else is drawn at random.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from fuyuan.attendance import workflow as attendance
from fuyuan.attendance.models import Mode
from fuyuan.cases.choices import CaseKind
from fuyuan.cases.models import Case
from fuyuan.core.models import Organisation, OrganisationKind, User
from fuyuan.demo.supervision import replayed_at
from fuyuan.filereview import workflow as review
from fuyuan.filereview.models import ActKind, ReviewMode

# The bodies reviewed, by their liaison's demo login, and their file-number prefix.
BODIES = (("jg_zhou_zrzy", "州自然资源罚"), ("jg_qingshan_ga", "青公罚"), ("jg_qingshan_zrzy", "青自然罚"),
          ("jg_yuncheng_zj", "云住建罚"))  # fmt: skip
# Sessions attended this year, by liaison: 青山县公安局 has one (behind), the others meet the rule.
SESSIONS = {"jg_zhou_zrzy": 2, "jg_qingshan_ga": 1, "jg_qingshan_zrzy": 3, "jg_yuncheng_zj": 2}
REFLECTIONS = (
    "庭审中原告代理人围绕证据收集程序发问，暴露出现场检查笔录不规范的问题，今后须做到执法全过程记录。",
    "行政机关负责人出庭应诉并发言，答辩条理清楚；被诉行为的法律依据援引准确，值得学习。",
    "本案因未告知陈述申辩权利被判撤销，提醒我们程序违法是败诉的主要原因。",
)


def _at(now: datetime.datetime, days_ago: int) -> datetime.datetime:
    return now - datetime.timedelta(days=days_ago)


def build_filereview(*, now: datetime.datetime) -> None:
    staff = User.objects.get(username="zfjd_zhou")
    invited = User.objects.get(username="tyjd_zhou")
    year = timezone.localtime(now).year
    bodies = [(User.objects.get(username=u).organisation, prefix) for u, prefix in BODIES]
    with replayed_at(_at(now, 300)):
        last = review.create_sheet(year=year - 1, name="行政执法案卷评查标准", by=staff)
        sheet = review.copy_sheet(last, year=year, by=staff)
        review.add_sheet_item(sheet, kind="veto", text="重大执法决定未经法制审核", by=staff)
        plan = review.create_plan(
            year=year,
            name="行政执法案卷集中评查",
            mode=ReviewMode.SAMPLED,
            sheet=sheet,
            bodies={org: 3 for org, _ in bodies if org is not None},
            reviewers=[staff, invited],
            by=staff,
        )
    files = []
    with replayed_at(_at(now, 200)):
        for i, (org, prefix) in enumerate(bodies):
            assert org is not None
            for n in range(1, 4):
                reviewer = invited if (i + n) % 2 else staff
                decided = (_at(now, 260 + 10 * n)).date()
                kind = ActKind.PENALTY if n != 3 else ActKind.COERCION
                number = f"{prefix}〔{year}〕{n * 7 + i}号"
                files.append(
                    review.register_file(
                        plan, number=number, body=org, act_kind=kind, decided_on=decided, reviewer=reviewer, by=staff
                    )
                )
    items = {i.text: i.pk for i in sheet.items.all()}
    marks = [
        ({}, {"文书填写不完整、有涂改": "2", "送达、执行不规范": "3"}, ""),
        ({"执法人员不足2人"}, {"归档不及时": "1"}, "现场检查笔录仅一名执法人员签名。"),
        ({}, {}, ""),
        ({}, {"立案、调查取证不规范": "18", "证据材料不完整、未经质证或说明来源": "15", "告知陈述申辩、听证等权利不规范": "10"}, ""),
        ({}, {"案卷装订不规范、目录不全或页码不连续": "1"}, "处罚决定书未载明申请行政复议、提起行政诉讼的途径和期限。"),
        ({}, {"决定书说理不充分、裁量不当": "6"}, ""),
        ({}, {"归档不及时": "2"}, ""),
        ({}, {"送达、执行不规范": "4"}, ""),
    ]  # fmt: skip
    # The invited supervisor leaves their last file of the list for later (their landing page shows it waiting).
    scored = [f for f in files if f.reviewer_id == staff.pk] + [f for f in files if f.reviewer_id == invited.pk][:-2]
    for day, (file, (vetoes, deductions, findings)) in enumerate(zip(scored, marks, strict=False)):
        with replayed_at(_at(now, 120 - 5 * day)):
            review.score_file(
                file,
                vetoes=[items[v] for v in vetoes],
                deductions={items[k]: Decimal(v) for k, v in deductions.items()},
                findings=findings,
                by=invited if file.reviewer_id == invited.pk else staff,
            )
    with replayed_at(_at(now, 60)):
        for org, _ in bodies:
            assert org is not None
            if review.notice_files(plan, org).filter(vetoed=True).exists():
                review.issue_notice(plan, org, by=staff)
    build_attendance(now=now)


def _court_of(org: Organisation) -> Organisation:
    court = Organisation.objects.filter(kind=OrganisationKind.COURT, region=org.region).first()
    return court or Organisation.objects.filter(kind=OrganisationKind.COURT).order_by("id").first()  # type: ignore[return-value]


def build_attendance(*, now: datetime.datetime) -> None:
    for username, count in SESSIONS.items():
        liaison = User.objects.get(username=username)
        assert liaison.organisation is not None
        court = _court_of(liaison.organisation)
        cases = [
            (c.number, c.get_cause_display() if c.cause else "")
            for c in Case.objects.filter(kind=CaseKind.LITIGATION, court=court).order_by("id")[:count]
        ]
        today = timezone.localtime(now).date()
        for n in range(count):
            # In this year, whatever the day the demo runs (on 1 January they are all that day).
            held = max(today - datetime.timedelta(days=10 + 45 * n), today.replace(month=1, day=1))
            number, cause = cases[n] if n < len(cases) else (f"（{held.year}）旁听第{n + 1}号", "")
            moment = timezone.make_aware(datetime.datetime.combine(held, datetime.time(15)))
            with replayed_at(min(moment, now)):
                attendance.record_session(
                    case_number=number,
                    cause=cause,
                    court=court,
                    held_on=held,
                    mode=Mode.ONLINE if n % 2 else Mode.IN_PERSON,
                    people=[
                        attendance.Person("王" + "明刚强"[n % 3], "法制股股长", REFLECTIONS[n % 3]),
                        attendance.Person(liaison.display_name, "机关联络员", REFLECTIONS[(n + 1) % 3]),
                    ],
                    by=liaison,
                )
