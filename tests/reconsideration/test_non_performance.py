"""Non-performance (行政复议法 (2023) 第77条): the respondent does not perform a decision or 调解书; the body orders it
to perform by a date — an item of the 销账本 (``rectification``) — and records the 约谈 and 通报批评 it adds."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from fuyuan.cases.choices import ReconsiderationOutcome
from fuyuan.core.models import User
from fuyuan.core.timeline import timeline
from fuyuan.obligations.models import Obligation
from fuyuan.reconsideration.models import Application
from fuyuan.reconsideration.workflow import (
    ReconsiderationError,
    decide,
    end_mediation,
    record_non_performance,
    record_service,
    start_mediation,
)
from fuyuan.rectification.models import Item, ItemState, RecommendationKind
from tests.factories import World
from tests.reconsideration.conftest import D, accepted, events_of, fresh, pdf

pytestmark = pytest.mark.django_db


def _served(world: World, head: User, clock: Any, outcome: str = ReconsiderationOutcome.ORDERED_TO_PERFORM) -> Any:
    clock(D(2026, 9, 29))
    app = accepted(world)
    clock(D(2026, 10, 20))
    app = decide(
        app, outcome=outcome, facts="未答复申请人", grounds="不履行法定职责", content="三十日内作出答复", by=head
    )
    clock(D(2026, 10, 22))
    return record_service(app, on=D(2026, 10, 22), by=world.users["recon_pref"])


def test_non_performance_opens_a_ledger_item_due_on_the_day_ordered_with_its_follow_up(
    world: World, head: User, clock, files: Any
) -> None:
    app = _served(world, head, clock)
    clock(D(2026, 12, 1))

    record = record_non_performance(
        app,
        number="黔南州复履〔2026〕1号",
        particulars="逾期未按决定作出答复",
        perform_by=D(2026, 12, 31),
        document=pdf("责令履行通知书.pdf"),
        interview=True,
        criticism=True,
        follow_up_note="2026年12月1日约谈都匀市自然资源局分管负责人；全州通报批评",
        by=head,
    )

    recommendation = record.recommendation
    assert recommendation.kind == RecommendationKind.SUPERVISION_NOTICE
    assert (recommendation.issuer, recommendation.recipient) == (app.body, app.respondent)
    assert recommendation.case_id == app.case_id and "第77条" in recommendation.summary
    item = Item.objects.get(recommendation=recommendation)
    assert (item.owner, item.due_on, item.state) == (app.respondent, D(2026, 12, 31), ItemState.IN_PROGRESS)
    assert item.text.startswith("履行行政复议决定书")
    assert Obligation.objects.filter(subject_id=item.pk, due_on=D(2026, 12, 31)).exists()
    assert record.follow_up_label == "约谈、通报批评"
    assert events_of(app)[-1] == "non_performance"
    summary = list(timeline(fresh(app)))[-1].summary
    assert "责令于 2026-12-31 前履行" in summary and "约谈、通报批评：2026年12月1日约谈" in summary


def test_a_mediation_statement_not_performed_is_recorded_too(world: World, head: User, clock, files: Any) -> None:
    staff = world.users["recon_pref"]
    clock(D(2026, 9, 29))
    mediation = start_mediation(accepted(world), kind="mediation", mediator="调解和解委员会", by=staff)
    end_mediation(mediation, succeeded=True, terms="被申请人退还罚款", by=staff)
    app = record_service(fresh(mediation.application), on=D(2026, 9, 29), by=staff)

    record = record_non_performance(
        app, number="黔南州复履〔2026〕2号", particulars="未退还罚款", perform_by=D(2026, 10, 30),
        document=pdf(), by=head,
    )  # fmt: skip

    assert Item.objects.get(recommendation=record.recommendation).text.startswith("履行调解书")
    assert record.follow_up_label == "无"


def test_what_cannot_be_recorded_is_refused_with_the_reason(world: World, head: User, clock, files: Any) -> None:
    app = _served(world, head, clock)
    clock(D(2026, 12, 1))
    values: dict[str, Any] = {
        "number": "黔南州复履〔2026〕3号", "particulars": "未履行", "perform_by": D(2026, 12, 31), "document": pdf(),
    }  # fmt: skip
    with pytest.raises(PermissionDenied, match="负责人"):
        record_non_performance(app, **values, by=world.users["recon_pref"])
    for change, message in (
        ({"particulars": " "}, "请写明被申请人不履行"),
        ({"perform_by": D(2026, 12, 1)}, "应晚于今天"),
        ({"interview": True}, "请写明约谈、通报批评的情况"),
    ):
        with pytest.raises(ReconsiderationError, match=message):
            record_non_performance(app, **{**values, **change}, by=head)
    upheld = _served(world, head, clock, outcome=ReconsiderationOutcome.UPHELD)
    with pytest.raises(ReconsiderationError, match="以“维持”结案，被申请人没有需要履行的决定内容"):
        record_non_performance(upheld, **values, by=head)
    assert "non_performance" not in events_of(app)


def test_the_head_records_it_on_the_file_page(world: World, head: User, clock, files: Any) -> None:
    app = _served(world, head, clock)
    clock(D(2026, 12, 1))
    client = Client()
    client.force_login(head)
    assert (
        'data-testid="action-non_performance"'
        in client.get(reverse("reconsideration:detail", args=[app.pk])).content.decode()
    )
    form = {
        "non_performance-particulars": "逾期未作出答复",
        "non_performance-perform_by": "2026-12-31",
        "non_performance-number": "黔南州复履〔2026〕4号",
        "non_performance-document": pdf(),
        "non_performance-interview": "on",
        "non_performance-follow_up_note": "约谈分管负责人",
    }

    response = client.post(reverse("reconsideration:act", args=[app.pk, "non_performance"]), form)

    assert response.status_code == 302
    page = client.get(reverse("reconsideration:detail", args=[app.pk])).content.decode()
    assert "责令于 2026-12-31 前履行（第77条）" in page and "销账本 黔南州复履〔2026〕4号" in page
    assert "约谈：约谈分管负责人" in page
    assert Application.objects.get(pk=app.pk).non_performances.count() == 1
