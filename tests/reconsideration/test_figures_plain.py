"""The reconsideration body's figures with no files to count, and the page's plain errors (issue 14 item 8; the figures
over files: test_figures.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fuyuan.reconsideration import figures as fig
from tests.factories import World
from tests.reconsideration.test_figures import FROM, TO, _client, body_files

pytestmark = pytest.mark.django_db


def test_nothing_to_divide_by_shows_no_figure(world: World) -> None:
    total = fig.compute(body_files(world), FROM, TO)["total"]

    assert set(total["figures"].values()) == {None}
    assert fig.average(65, 2) == 32.5 and fig.average(1, 3) == 0.3


def test_an_unknown_figure_or_a_bad_date_is_a_plain_error(world: World) -> None:
    client = _client(world, "recon_pref")
    assert client.get(reverse("reconsideration_figures:files"), {"figure": "nope"}).status_code == 404
    assert client.get(reverse("reconsideration_figures:files"), {"figure": "concluded", "from": "x"}).status_code == 404
    bad = client.get(reverse("reconsideration_figures:figures"), {"date_from": "2026-12-01", "date_to": "2026-01-01"})
    assert bad.status_code == 200 and "起始日期不能晚于截止日期" in bad.content.decode()


def test_a_role_with_no_reconsideration_files_is_told_so(world: World) -> None:
    page = _client(world, "court_duyun").get(reverse("reconsideration_figures:figures"))

    assert page.status_code == 200 and page.context["no_files"]
