"""The dashboard's cache (stats.cache, issue 5 §5): a repeated request is served from the cache with the same
numbers; any change of what the numbers count shows at once; no user ever sees numbers cached for another scope,
region, window or sort."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fuyuan.cases import workflow as case_workflow
from fuyuan.cases.choices import CaseKind, Instance, LitigationOutcome
from fuyuan.cases.models import Case
from fuyuan.disputes import workflow as dispute_workflow
from fuyuan.disputes.choices import ConsentWay
from fuyuan.stats.models import Benchmark, BenchmarkScope, FiguresGeneration
from tests.cases.ledgers import litigation_row, write_workbook
from tests.factories import PASSWORD, World, make_case, make_dispute

pytestmark = pytest.mark.usefixtures("clock")

D = datetime.date
WINDOW = {"date_from": "2021-01-01", "date_to": "2021-08-31"}
URL = reverse("stats:dashboard")


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def _board(client: Client, **params: Any) -> dict[str, Any]:
    response = client.get(URL, {**WINDOW, **params})
    assert response.status_code == 200
    return response.context["board"]


def _litigation(client: Client, **params: Any) -> dict[str, Any]:
    return _board(client, **params)["totals"]["litigation"]


def _fill(world: World) -> None:
    """都匀: 3 of 4 first-instance cases lost; 福泉: 1 of 2."""
    duyun, fuquan = world.orgs["都匀自然资源局"], world.orgs["福泉公安局"]
    for i in range(4):
        make_case(defendant=duyun, concluded_on=D(2021, 5, 1), outcome="revoked" if i < 3 else "claim_dismissed")
    for i in range(2):
        make_case(defendant=fuquan, concluded_on=D(2021, 6, 1), outcome="revoked" if i < 1 else "claim_dismissed")


def test_a_second_identical_request_runs_fewer_queries_and_shows_the_same_numbers(world: World) -> None:
    _fill(world)
    client = _client("rol_pref")

    with CaptureQueriesContext(connection) as first:
        cold = client.get(URL, WINDOW)
    with CaptureQueriesContext(connection) as second:
        warm = client.get(URL, WINDOW)

    assert len(second) < len(first) - 5
    assert warm.context["board"]["cards"] == cold.context["board"]["cards"]
    assert warm.context["board"]["ranking"]["rows"] == cold.context["board"]["ranking"]["rows"]
    assert warm.context["board"]["charts"] == cold.context["board"]["charts"]
    assert warm.context["board"]["totals"]["litigation"]["lost"] == 4


def test_the_weeks_hearings_and_overdue_deadlines_stay_live_on_a_cached_page(world: World) -> None:
    _fill(world)
    client = _client("rol_pref")
    assert _board(client)["hearings"]["count"] == 0
    generation = FiguresGeneration.objects.filter(pk=1).values_list("value", flat=True).first()

    with CaptureQueriesContext(connection) as warm:
        board = _board(client)

    assert any("hearings_hearing" in q["sql"] for q in warm.captured_queries)
    assert any("deadlines_deadline" in q["sql"] for q in warm.captured_queries)
    assert board["hearings"]["from"] == timezone.localdate()
    assert FiguresGeneration.objects.filter(pk=1).values_list("value", flat=True).first() == generation


def test_a_case_registered_through_the_workflow_shows_on_the_next_request(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    _fill(world)
    client = _client("rol_pref")
    assert _litigation(client)["concluded"] == 6

    with django_capture_on_commit_callbacks(execute=True):
        case_workflow.register_case(
            {
                "kind": CaseKind.LITIGATION,
                "number": "（2021）黔27行初900号",
                "instance": Instance.FIRST,
                "court": world.orgs["都匀法院"],
                "defendant": world.orgs["都匀自然资源局"],
                "filed_on": D(2021, 2, 1),
                "concluded_on": D(2021, 7, 1),
                "outcome": LitigationOutcome.REVOKED,
            },
            by=world.users["rol_pref"],
        )

    after = _litigation(client)
    assert (after["concluded"], after["lost"]) == (7, 5)


def test_a_case_updated_through_the_workflow_shows_on_the_next_request(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    _fill(world)
    client = _client("rol_pref")
    assert _litigation(client)["lost"] == 4
    won = Case.objects.filter(outcome="claim_dismissed").order_by("pk").first()
    assert won is not None

    with django_capture_on_commit_callbacks(execute=True):
        case_workflow.update_case(won, {"outcome": LitigationOutcome.REVOKED}, by=world.users["rol_pref"])

    assert _litigation(client)["lost"] == 5


def test_an_edit_of_what_no_figure_counts_keeps_the_cached_dashboard_and_one_that_counts_does_not(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    """Editing a case's 备注 or 案情摘要 changes no number: every cached dashboard stays valid (a province edits
    all day, issue 19). Moving a case to another agency changes the ranking: the next request counts again."""
    _fill(world)
    client = _client("rol_pref")
    assert _litigation(client)["lost"] == 4
    lost = Case.objects.filter(outcome="revoked", defendant=world.orgs["都匀自然资源局"]).order_by("pk").first()
    assert lost is not None
    generation = FiguresGeneration.objects.filter(pk=1).values_list("value", flat=True).first()

    with django_capture_on_commit_callbacks(execute=True):
        lost = case_workflow.update_case(lost, {"note": "已约谈", "summary": "补充案情"}, by=world.users["rol_pref"])
    with CaptureQueriesContext(connection) as after_note:
        board = _board(client)

    assert FiguresGeneration.objects.filter(pk=1).values_list("value", flat=True).first() == generation
    assert not any("stats_figurecount" in q["sql"] for q in after_note.captured_queries)
    assert board["totals"]["litigation"]["lost"] == 4
    assert {row["key"]: row["value"] for row in board["ranking"]["rows"]} == {"都匀市": 75.0, "福泉市": 50.0}

    with django_capture_on_commit_callbacks(execute=True):
        case_workflow.update_case(lost, {"defendant": world.orgs["福泉公安局"]}, by=world.users["rol_pref"])
    ranking = {row["key"]: row["value"] for row in _board(client)["ranking"]["rows"]}

    assert FiguresGeneration.objects.filter(pk=1).values_list("value", flat=True).first() != generation
    assert ranking == {"都匀市": 66.67, "福泉市": 66.67}  # 败诉率: 2 of 3 each, from 3 of 4 and 1 of 2


def _loss_card(client: Client, **params: Any) -> str:
    """The 败诉率 card as the page shows it (its HTML is kept with the cached figures)."""
    html = client.get(URL, {**WINDOW, **params}).content.decode()
    start = html.index('data-rate="loss_rate"')
    return html[start : html.index('data-testid="yoy"', start)]


def test_the_pages_figures_html_follows_every_change_and_every_scope(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    _fill(world)
    prefecture, duyun = _client("rol_pref"), _client("rol_duyun")
    assert ">4</a>" in _loss_card(prefecture) and ">6</a>" in _loss_card(prefecture)
    assert ">3</a>" in _loss_card(duyun) and ">4</a>" in _loss_card(duyun)
    won = Case.objects.filter(outcome="claim_dismissed", defendant=world.orgs["福泉公安局"]).get()

    with django_capture_on_commit_callbacks(execute=True):
        case_workflow.update_case(won, {"outcome": LitigationOutcome.REVOKED}, by=world.users["rol_pref"])

    assert ">5</a>" in _loss_card(prefecture) and "83.33%" in _loss_card(prefecture)
    assert ">3</a>" in _loss_card(duyun) and "75.00%" in _loss_card(duyun)


def test_a_ledger_import_shows_on_the_next_request(
    world: World, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    _fill(world)
    client = _client("rol_pref")
    assert _litigation(client)["concluded"] == 6
    path = write_workbook(
        tmp_path / "l.xlsx",
        # another court's numbers: make_case numbers 黔27行初 from a counter of the whole test process
        [litigation_row(f"（2021）黔2799行初{800 + i}号", 结案日期="2021-05-06", 结案方式="撤销") for i in range(2)],
        [],
    )

    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_cases", str(path), stdout=io.StringIO(), stderr=io.StringIO())

    after = _litigation(client)
    assert (after["concluded"], after["lost"]) == (8, 6)


def test_a_concluded_dispute_shows_on_the_next_request(world: World, django_capture_on_commit_callbacks: Any) -> None:
    today = timezone.localdate()
    window = {"date_from": (today - datetime.timedelta(days=30)).isoformat(), "date_to": today.isoformat()}
    staff = world.users["centre"]
    with django_capture_on_commit_callbacks(execute=True):
        dispute = make_dispute(world.orgs["州中心"], agency=world.orgs["都匀自然资源局"], by=staff)
        consent = dispute_workflow.Consent(dispute.applicants, today, ConsentWay.WRITTEN)
        dispute = dispute_workflow.accept_dispute(dispute, by=staff, consent=consent)
    client = _client("rol_pref")
    assert _board(client, **window)["dispute_cards"]["disputes_resolved"]["count"] == 0

    with django_capture_on_commit_callbacks(execute=True):
        dispute_workflow.conclude_mediated(dispute, terms="行政机关退还罚款", by=staff)

    assert _board(client, **window)["dispute_cards"]["disputes_resolved"]["count"] == 1


def test_a_benchmark_saved_shows_on_the_next_request(world: World, django_capture_on_commit_callbacks: Any) -> None:
    _fill(world)
    client = _client("rol_pref")
    card = next(c for c in _board(client)["cards"] if c["name"] == "loss_rate")
    assert card["benchmarks"] == []

    with django_capture_on_commit_callbacks(execute=True):
        benchmark = Benchmark.objects.create(
            year=2021,
            rate="loss_rate",
            scope=BenchmarkScope.PROVINCE,
            value=Decimal("22.33"),
            source="省通报",
            entered_by=world.users["rol_pref"],
        )
    card = next(c for c in _board(client)["cards"] if c["name"] == "loss_rate")
    assert [b["value"] for b in card["benchmarks"]] == ["22.33%"]

    with django_capture_on_commit_callbacks(execute=True):
        benchmark.value = Decimal("60.00")
        benchmark.save()
    card = next(c for c in _board(client)["cards"] if c["name"] == "loss_rate")
    assert [b["value"] for b in card["benchmarks"]] == ["60.00%"]


def test_users_of_different_scopes_never_see_each_others_cached_numbers(world: World) -> None:
    _fill(world)
    office, agency = _client("rol_pref"), _client("agency_fuquan")

    assert _litigation(office)["concluded"] == 6
    assert _litigation(agency)["concluded"] == 2  # 福泉公安局's own cases only
    assert _litigation(agency)["concluded"] == 2
    assert _litigation(office)["concluded"] == 6
    assert _litigation(_client("agency_duyun"))["concluded"] == 4


def test_another_region_window_or_sort_is_another_entry(world: World) -> None:
    _fill(world)
    client = _client("rol_pref")

    assert _litigation(client)["concluded"] == 6
    assert _litigation(client, region=world.regions["福泉市"].pk)["concluded"] == 2
    assert _litigation(client, date_from="2021-05-15")["concluded"] == 2
    ranking = [r["key"] for r in _board(client)["ranking"]["rows"]]
    reversed_ranking = [r["key"] for r in _board(client, sort="-loss_rate")["ranking"]["rows"]]
    assert ranking == ["福泉市", "都匀市"]  # 50 % lost before 75 %
    assert reversed_ranking == list(reversed(ranking))
