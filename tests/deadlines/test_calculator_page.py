from django.test import Client

from tests.factories import PASSWORD, World
from tests.visible import rule_ids_in, visible_text


def test_the_calculator_gives_the_due_date_with_its_counting_and_source(client: Client, world: World) -> None:
    client.login(username="agency_duyun", password=PASSWORD)

    page = client.get("/deadlines/calculator/", {"rule": "reconsideration.acceptance", "start": "2026-02-12"})

    html = page.content.decode()
    assert "2026年2月26日" in html
    assert "星期四" in html
    assert "工作日" in html
    assert "行政复议法（2023修订）第30条" in html


def test_an_unknown_year_is_computed_on_weekends_with_a_warning(client: Client, world: World) -> None:
    client.login(username="court_duyun", password=PASSWORD)

    html = client.get("/deadlines/calculator/", {"rule": "litigation.appeal_judgment", "start": "2026-12-25"}).content

    assert "2027年1月11日" in html.decode()
    assert "节假日安排尚未录入" in html.decode()


def test_an_impossible_date_is_refused_with_a_message(client: Client, world: World) -> None:
    client.login(username="court_duyun", password=PASSWORD)

    html = client.get("/deadlines/calculator/", {"rule": "litigation.defence", "start": "2026-02-30"}).content.decode()

    assert "请填写存在的日期" in html
    assert 'data-testid="deadline-result"' not in html


def test_the_calculator_shows_rule_labels_and_sources_never_rule_ids(client: Client, world: World) -> None:
    client.login(username="centre", password=PASSWORD)

    html = client.get("/deadlines/calculator/", {"rule": "centre.plan", "start": "2026-03-02"}).content.decode()

    assert rule_ids_in(html) == []
    assert "制作化解方案（5个工作日）" in visible_text(html)  # the option and the result name the rule
    assert "规定：5日内制作化解方案" in visible_text(html)  # its source
    assert '<option value="centre.plan" selected>' in html  # the command line's and the API's id stays the value
