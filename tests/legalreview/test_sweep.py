"""The review period is reminded before its day (临期) and chased once after it (逾期), with the sender region's
依法治办 copied; a matter answered, or paused for material, is not chased."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from fuyuan.core.timeline import timeline
from fuyuan.legalreview.choices import Conclusion
from fuyuan.legalreview.workflow import REVIEW, give_opinion, return_for_material
from fuyuan.notifications.sweep import run_sweep
from fuyuan.obligations.workflow import sweep
from tests.factories import World
from tests.legalreview.conftest import D, under_review
from tests.legalreview.test_workflow import told

pytestmark = pytest.mark.django_db


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def test_an_overdue_review_is_reminded_then_chased_exactly_once(people: World) -> None:
    matter = under_review(people)  # due Friday 2026-12-11
    sweep(at(D(2026, 12, 9)), kinds=[REVIEW])
    assert told("review_duyun")[-1] == "【合法性审查】审查临期"
    report = sweep(at(D(2026, 12, 14)), kinds=[REVIEW])
    assert report.of(REVIEW) == (0, 1, 0)
    assert told("rol_duyun") == ["【合法性审查】审查逾期"]
    sweep(at(D(2026, 12, 15)), kinds=[REVIEW])
    run_sweep(at(D(2026, 12, 16)))
    assert told("review_duyun").count("【合法性审查】审查逾期") == 1
    assert told("rol_duyun") == ["【合法性审查】审查逾期"]
    assert [e.action for e in timeline(matter).order_by("at", "id")][-2:] == [
        "legal_matter_warned",
        "legal_matter_overdue",
    ]


def test_a_matter_answered_or_awaiting_material_is_not_chased(people: World) -> None:
    u = people.users
    answered = under_review(people)
    give_opinion(answered, conclusion=Conclusion.LAWFUL, text="合法。", by=u["review_duyun"])
    paused = under_review(people, title="另一办法")
    return_for_material(paused, reason="请补充起草说明。", by=u["review_duyun"])
    report = sweep(at(D(2026, 12, 14)), kinds=[REVIEW])
    assert report.of(REVIEW) == (0, 0, 0)
    assert "【合法性审查】审查逾期" not in told("review_duyun")


def test_the_sweep_summary_names_the_legality_review(people: World) -> None:
    under_review(people)
    assert "合法性审查——审查临期提醒 0 件，逾期督办 1 件" in run_sweep(at(D(2026, 12, 14))).summary()
