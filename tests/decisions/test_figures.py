"""决策统计 (issue 16): by 承办单位 and step, each number equal to its drill-down list, in a bounded number of
queries whatever the number of decisions and comments."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.urls import reverse

from fuyuan.decisions import workflow as wf
from fuyuan.decisions.choices import Stage
from fuyuan.decisions.models import Catalogue, Decision
from tests.decisions.conftest import D, run_to
from tests.factories import PASSWORD, World

# Log-in, session and user, the user's region; the totals and the rows of the decisions, and of their comments.
BOUND = 8


def _client(username: str) -> Client:
    client = Client()
    client.login(username=username, password=PASSWORD)
    return client


def _more(world: World, catalogue: Catalogue, clock: Any, n: int) -> None:
    """``n`` more decisions in 公众参与, each with an answered and an unanswered comment."""
    owner = world.users["agency_duyun"]
    for i in range(n):
        clock(D(2026, 8, 3))
        item = catalogue.items.create(
            title=f"事项{i}",
            owner=world.orgs["都匀自然资源局"],
            planned_start=D(2026, 8, 1),
            planned_end=D(2026, 12, 1),
        )
        d = wf.start_decision(item, draft="草案", by=owner)
        d = wf.open_public_comment(d, comment_from=D(2026, 8, 3), comment_until=D(2026, 9, 2), by=owner)
        clock(D(2026, 8, 10))
        answered = wf.submit_comment(d, content="同意")
        wf.submit_comment(d, content="建议再议")
        wf.answer_comment(answered, answer="adopted", reason="予以采纳", by=owner)


def _cells(html: str, prefix: str) -> dict[str, tuple[int, str]]:
    return {
        name: (int(n), href.replace("&amp;", "&"))
        for href, name, n in re.findall(rf'<a href="([^"]+)"[^>]*data-testid="{prefix}-([a-z_]+)">(\d+)<', html)
    }


def test_the_figures_equal_their_lists_in_bounded_queries(
    world: World, clock: Any, decision: Decision, catalogue: Catalogue, justice: Any, expert: Any,
    django_assert_max_num_queries: Any,
) -> None:  # fmt: skip
    run_to(Stage.EXECUTING, decision, world, clock, justice, expert)
    _more(world, catalogue, clock, 2)
    client = _client("rol_duyun")
    with django_assert_max_num_queries(BOUND):
        html = client.get(reverse("decisions:figures")).content.decode()
    totals = _cells(html, "total")
    assert totals["decisions"][0] == 3 and totals["public"][0] == 2 and totals["lawful"][0] == 1
    assert totals["published"][0] == 1 and totals["discussed"][0] == 1
    assert totals["answered"][0] == 3 and totals["unanswered"][0] == 2
    for name, (number, href) in totals.items():
        listed = client.get(href).content.decode()
        rows = "comment-row" if name in ("answered", "unanswered") else "decision-row"
        assert listed.count(f'data-testid="{rows}"') == number, name

    _more(world, catalogue, clock, 4)
    with django_assert_max_num_queries(BOUND):
        html = client.get(reverse("decisions:figures")).content.decode()
    assert _cells(html, "total")["unanswered"][0] == 6
    # a unit sees only its own decisions' figures; a court sees none
    assert _client("agency_fuquan").get(reverse("decisions:figures")).content.decode().count('data-testid="total-') == 0
    assert _client("court_duyun").get(reverse("decisions:figures")).status_code == 403


def test_post_evaluations_due_and_done_are_counted(
    world: World, clock: Any, decision: Decision, justice: Any, expert: Any
) -> None:
    office = world.users["rol_duyun"]
    decision = run_to(Stage.EXECUTING, decision, world, clock, justice, expert)
    clock(D(2026, 11, 2))
    evaluation = wf.start_post_evaluation(
        decision, trigger="many_opinions", evaluator=world.orgs["州司法局"], by=office
    )
    html = _client("rol_duyun").get(reverse("decisions:figures")).content.decode()
    assert _cells(html, "total")["evaluation_due"][0] == 1 and "evaluation_done" not in _cells(html, "total")
    wf.finish_post_evaluation(evaluation, conclusion="达到预期", by=office)
    html = _client("rol_duyun").get(reverse("decisions:figures")).content.decode()
    assert _cells(html, "total")["evaluation_done"][0] == 1 and "evaluation_due" not in _cells(html, "total")
