"""A ledger import opens one loss review per first-instance loss, and importing the same ledger again opens none."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from fuyuan.accountability.models import LossReview, LossReviewState
from fuyuan.core.models import Event
from fuyuan.deadlines.models import Deadline
from fuyuan.notifications.models import Channel, Notification
from tests.cases.ledgers import litigation_row, write_workbook
from tests.factories import World

pytestmark = pytest.mark.django_db


def ledger(tmp_path: Path, outcome_of_first: str = "撤销") -> Path:
    return write_workbook(
        tmp_path / "ledger.xlsx",
        [
            litigation_row("（2021）黔27行初1号", 结案日期="2021-05-06", 结案方式=outcome_of_first),
            litigation_row("（2021）黔27行初2号", 结案日期="2021-05-07", 结案方式="确认违法"),
            litigation_row("（2021）黔27行初3号", 结案日期="2021-05-08", 结案方式="驳回诉讼请求"),
            litigation_row("（2021）黔27行终4号", 审级="二审", 结案日期="2021-06-08", 结案方式="撤销"),
        ],
    )


def run(path: Path) -> None:
    call_command("import_cases", str(path), stdout=StringIO(), stderr=StringIO())


def test_an_import_opens_a_review_for_each_first_instance_loss(world: World, tmp_path: Path) -> None:
    run(ledger(tmp_path))
    numbers = sorted(LossReview.objects.values_list("case__number", flat=True))
    assert numbers == ["（2021）黔27行初1号", "（2021）黔27行初2号"]
    assert Deadline.objects.filter(rule_id="accountability.notice").count() == 2


def test_reimporting_the_same_losses_opens_no_second_review_and_tells_nobody_again(
    world: World, tmp_path: Path
) -> None:
    path = ledger(tmp_path)
    run(path)
    sent = Notification.objects.filter(channel=Channel.IN_APP).count()
    run(path)
    assert LossReview.objects.count() == 2
    assert Event.objects.filter(action="opened", summary__contains="四必治败诉").count() == 2
    assert Notification.objects.filter(channel=Channel.IN_APP).count() == sent
    assert Deadline.objects.filter(rule_id="accountability.notice").count() == 2


def test_a_reimport_correcting_an_outcome_withdraws_its_review(world: World, tmp_path: Path) -> None:
    run(ledger(tmp_path))
    run(ledger(tmp_path, outcome_of_first="驳回诉讼请求"))
    states = dict(LossReview.objects.values_list("case__number", "state"))
    assert states == {"（2021）黔27行初1号": LossReviewState.WITHDRAWN, "（2021）黔27行初2号": LossReviewState.NOTICE}
