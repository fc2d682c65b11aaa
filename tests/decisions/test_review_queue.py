"""The 司法局's review queue across decisions and legal matters (issue 16): every decision waiting for its legality
review beside the matters, with their periods (临期/逾期) counted across 国庆, scoped to the reviewing body.

29 September 2026 + 7 working days (国庆 1–7 October off, Saturday 10 October worked) ends on 14 October for both the
decision (条例 第27条) and the normative document; the 临期 day is 3 days before (FUYUAN_DEADLINE_WARN_DAYS)."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.urls import reverse

from fuyuan.decisions import workflow as wf
from fuyuan.decisions.choices import Stage
from fuyuan.decisions.models import Decision
from fuyuan.legalreview.queue import review_queue
from tests.decisions.conftest import D, run_to
from tests.factories import PASSWORD, World
from tests.legalreview.conftest import add_reviewers, submitted


def _client(username: str) -> Client:
    client = Client()
    client.login(username=username, password=PASSWORD)
    return client


def _queue(username: str) -> str:
    return _client(username).get(reverse("legalreview:queue")).content.decode()


def _statuses(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", s).strip() for s in re.findall(r'data-testid="queue-status">(.*?)</td>', html)]


def test_the_queue_shows_decisions_and_matters_with_their_periods_across_national_day(
    world: World, clock: Any, decision: Decision, justice: Any, expert: Any, settings: Any, tmp_path: Any,
    django_assert_max_num_queries: Any,
) -> None:  # fmt: skip
    settings.DATA_DIR = tmp_path
    add_reviewers(world)
    decision = run_to(Stage.LEGALITY_REVIEW, decision, world, clock, justice, expert)
    clock(D(2026, 9, 29))
    wf.send_for_legality_review(
        decision, sent_on=D(2026, 9, 29), review_until=D(2026, 10, 14), by=world.users["agency_duyun"]
    )
    matter = submitted(world)
    assert matter.due_on == D(2026, 10, 14)

    clock(D(2026, 9, 30))
    assert _statuses(_queue("justice_duyun")) == ["还有14天", "还有14天"]

    clock(D(2026, 10, 12))
    client = _client("justice_duyun")
    with django_assert_max_num_queries(8):
        html = client.get(reverse("legalreview:queue")).content.decode()
    assert _statuses(html) == ["临期·还有2天", "临期·还有2天"]
    assert decision.title in html and matter.title in html and "重大行政决策" in html and "规范性文件" in html

    clock(D(2026, 10, 15))
    html = _queue("review_duyun")
    assert _statuses(html) == ["逾期1天", "逾期1天"]
    assert 'data-testid="count-overdue">2<' in html


def test_the_queue_is_scoped_to_the_reviewing_body(
    world: World, clock: Any, decision: Decision, justice: Any, expert: Any, settings: Any, tmp_path: Any
) -> None:
    settings.DATA_DIR = tmp_path
    add_reviewers(world)
    decision = run_to(Stage.LEGALITY_REVIEW, decision, world, clock, justice, expert)
    clock(D(2026, 9, 29))
    wf.send_for_legality_review(
        decision, sent_on=D(2026, 9, 29), review_until=D(2026, 10, 14), by=world.users["agency_duyun"]
    )
    submitted(world)
    today = D(2026, 9, 30)

    assert len(review_queue(world.users["review_duyun"], today)) == 2
    assert len(review_queue(world.users["rol_duyun"], today)) == 2  # the 依法治办 supervises its region
    assert len(review_queue(world.users["rol_pref"], today)) == 2
    assert review_queue(world.users["recon_pref"], today) == []  # the 州司法局 reviews neither
    assert review_queue(world.users["agency_duyun"], today) == []
    client = Client()
    client.login(username="agency_duyun", password=PASSWORD)
    assert client.get(reverse("legalreview:queue")).status_code == 403
    # once the opinion is given, the decision leaves the queue
    clock(D(2026, 10, 12))
    wf.record_legality_review(
        decision, conclusion="lawful", opinion="合法", adviser_name="赵律师", adviser_opinion="无意见", by=justice
    )
    assert [r.kind for r in review_queue(world.users["review_duyun"], today)] == ["规范性文件"]
