"""行政复议意见书 (行政复议法 (2023) 第76条) → an item of the 销账本 due 60 days later."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

from fuyuan.core.models import User
from fuyuan.obligations.models import Obligation
from fuyuan.reconsideration.workflow import issue_opinion
from fuyuan.rectification.models import Item, RecommendationKind
from tests.factories import World
from tests.reconsideration.conftest import D, accepted, events_of, pdf

pytestmark = pytest.mark.django_db


def test_an_opinion_opens_a_rectification_item_due_sixty_days_later(
    world: World, head: User, files: Path, clock
) -> None:
    clock(D(2026, 9, 29))
    app = accepted(world)
    clock(D(2026, 9, 30))

    opinion = issue_opinion(
        app,
        number="黔南复意〔2026〕1号",
        text="罚款程序中未告知陈述申辩权利",
        items=["规范行政处罚告知程序"],
        document=pdf("意见书.pdf"),
        by=head,
    )

    rec = opinion.recommendation
    assert (rec.kind, rec.issuer, rec.recipient, rec.case) == (
        RecommendationKind.RECONSIDERATION_OPINION, world.orgs["州司法局"], world.orgs["都匀自然资源局"], app.case,
    )  # fmt: skip
    item = Item.objects.get(recommendation=rec)
    # 60 days from 30 September end on Sunday 29 November: Monday the 30th.
    assert item.due_on == D(2026, 11, 30)
    assert "第76条" in item.due_rule
    assert Obligation.objects.filter(kind="rectification.item", subject_id=item.pk, state="open").exists()
    assert events_of(app)[-1] == "opinion_issued"


def test_only_the_head_issues_an_opinion(world: World, files: Path, clock) -> None:
    clock(D(2026, 9, 29))
    app = accepted(world)

    with pytest.raises(PermissionDenied):
        issue_opinion(app, number="1", text="x", items=["y"], document=pdf(), by=world.users["recon_pref"])
