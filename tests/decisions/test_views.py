"""The decisions pages through the Django test client: the list and catalogue, the decision's steps (done, current,
locked with why), a step refused on its form, the public comment page without an account (rate limited), and the
archive download."""

from __future__ import annotations

import io
import zipfile

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fuyuan.decisions.choices import Stage
from fuyuan.decisions.models import CatalogueItem, Comment, Decision
from tests.decisions.conftest import D, run_to
from tests.factories import PASSWORD


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_the_list_and_catalogue_pages_show_what_the_user_may_see(world, clock, decision, django_assert_max_num_queries):
    client = _client("rol_pref")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("decisions:list"))
    text = response.content.decode()
    assert "都匀市城区停车收费标准调整" in text and "都匀市2026年度重大行政决策事项目录" in text
    for n in range(5):  # more rows, the same bound
        item = CatalogueItem.objects.create(
            catalogue=decision.item.catalogue, title=f"事项{n}", owner=decision.owner, planned_start=D(2026, 9, 1),
            planned_end=D(2026, 12, 1),
        )  # fmt: skip
        Decision.objects.create(item=item, region=decision.region, owner=decision.owner, title=f"事项{n}", draft="草案")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("decisions:list"))
    assert response.content.decode().count('data-testid="decision-row"') == 6
    response = client.get(reverse("decisions:catalogue", args=[decision.item.catalogue_id]))
    assert "经市委常委会同意" in response.content.decode()
    assert _client("agency_fuquan").get(reverse("decisions:detail", args=[decision.pk])).status_code == 404
    assert _client("court_duyun").get(reverse("decisions:list")).status_code == 403


def test_the_decision_page_shows_steps_done_current_and_locked_with_why(world, clock, decision, justice, expert):
    decision = run_to(Stage.RISK_ASSESSMENT, decision, world, clock, justice, expert)
    text = _client("agency_duyun").get(reverse("decisions:detail", args=[decision.pk])).content.decode()
    assert 'data-testid="step-public" data-state="done"' in text
    assert 'data-testid="step-risk" data-state="current"' in text and 'data-testid="form-risk"' in text
    assert 'data-testid="step-review" data-state="locked"' in text and "风险评估尚未完成" in text
    assert "合法性审查尚未完成" in text


def test_a_refused_step_shows_the_reason_on_its_form_and_writes_nothing(world, clock, decision):
    clock(D(2026, 8, 3))
    response = _client("agency_duyun").post(
        reverse("decisions:act", args=[decision.pk, "open_comment"]),
        {"comment_from": "2026-08-03", "comment_until": "2026-08-20"},
    )
    assert response.status_code == 200 and "不足30日" in response.content.decode()
    decision.refresh_from_db()
    assert decision.stage == Stage.DRAFTING
    assert (
        _client("rol_duyun").post(reverse("decisions:act", args=[decision.pk, "open_comment"]), {}).status_code == 403
    )


def test_anyone_comments_without_an_account_and_reads_the_published_answers(world, clock, decision, settings):
    owner = _client("agency_duyun")
    clock(D(2026, 8, 3))
    owner.post(
        reverse("decisions:act", args=[decision.pk, "open_comment"]),
        {"comment_from": "2026-08-03", "comment_until": "2026-09-02"},
    )
    url = reverse("decisions_public:comment", args=[decision.pk])
    public = Client()
    response = public.post(url, {"content": "建议夜间免费停车", "author": "市民王某"}, follow=True)
    assert "您的意见已提交" in response.content.decode()
    comment = Comment.objects.get()

    clock(D(2026, 9, 3))
    assert 'data-testid="closed"' in public.get(url).content.decode()
    owner = _client("agency_duyun")  # a month later: a new session
    r = owner.post(
        reverse("decisions:act", args=[decision.pk, "answer"]),
        {"comment": comment.pk, "answer": "adopted", "reason": "予以采纳"},
    )
    assert r.status_code == 302 and r["Location"] == reverse("decisions:detail", args=[decision.pk])
    r = owner.post(reverse("decisions:act", args=[decision.pk, "publish_answers"]), {})
    assert r.status_code == 302 and r["Location"] == reverse("decisions:detail", args=[decision.pk])
    text = public.get(url).content.decode()
    assert "建议夜间免费停车" in text and "采纳</strong>：予以采纳" in text

    settings.FUYUAN_APPLY_LIMIT = 0
    response = public.post(url, {"content": "再提一条"})
    assert response.status_code == 429 and Comment.objects.count() == 1


def test_the_archive_is_downloaded_by_the_government_office(world, clock, decision, justice, expert):
    decision = run_to(Stage.EXECUTING, decision, world, clock, justice, expert)
    clock(D(2026, 10, 9))
    response = _client("rol_duyun").get(reverse("decisions:archive", args=[decision.pk]))
    assert response.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert names[0] == "00-卷宗目录.docx" and "07-合法性审查意见书.docx" in names
    response = _client("agency_duyun").get(reverse("decisions:review_opinion", args=[decision.pk]))
    assert response.status_code == 200 and response.content.startswith(b"PK")


def test_the_published_catalogue_is_public_with_its_adjustments_and_its_docx(world, clock, catalogue):
    import docx

    from fuyuan.decisions import workflow as wf

    wf.adjust_catalogue(
        catalogue,
        reason="群众反映强烈，列入年度目录",
        add={
            "title": "城区学校周边交通组织优化",
            "owner": world.orgs["都匀自然资源局"],
            "planned_start": D(2026, 9, 1),
            "planned_end": D(2026, 12, 31),
        },
        by=world.users["rol_duyun"],
    )
    url = reverse("decisions_public:catalogue", args=[catalogue.pk])
    text = Client().get(url).content.decode()
    assert "都匀市城区停车收费标准调整" in text and "群众反映强烈，列入年度目录" in text
    content = Client().get(url + "?format=docx").content
    document = docx.Document(io.BytesIO(content))
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert rows[0] == ["序号", "决策事项", "决策承办单位", "计划启动", "计划完成"]
    assert [r[1] for r in rows[1:]] == ["都匀市城区停车收费标准调整", "城区学校周边交通组织优化"]
    assert any("群众反映强烈" in p.text for p in document.paragraphs)


def test_a_catalogue_not_yet_published_is_not_public(world, clock):
    from fuyuan.decisions import workflow as wf

    catalogue = wf.create_catalogue(world.regions["都匀市"], 2027, by=world.users["rol_duyun"])
    assert Client().get(reverse("decisions_public:catalogue", args=[catalogue.pk])).status_code == 404


def test_the_decision_page_costs_the_same_queries_for_one_comment_as_for_many(
    world, clock, decision, justice, expert, django_assert_max_num_queries
):
    decision = run_to(Stage.EXECUTING, decision, world, clock, justice, expert)
    client = _client("rol_duyun")
    url = reverse("decisions:detail", args=[decision.pk])
    with django_assert_max_num_queries(25):
        client.get(url)
    at = decision.comments.get().received_at
    for n in range(10):
        Comment.objects.create(decision=decision, content=f"意见{n}", received_at=at)
    with django_assert_max_num_queries(25):
        assert client.get(url).content.decode().count("意见") > 10


def test_the_office_draws_up_approves_and_publishes_a_catalogue_through_its_page(world, clock):
    office = _client("rol_duyun")
    response = office.post(reverse("decisions:catalogue_create"), {"year": 2027})
    url = response["Location"]
    office.post(
        url,
        {
            "action": "item",
            "title": "城区老旧小区改造",
            "owner": world.orgs["都匀自然资源局"].pk,
            "planned_start": "2027-03-01",
            "planned_end": "2027-10-31",
        },
    )
    response = office.post(url, {"action": "publish", "published_on": "2026-12-02"})
    assert "须经同级党委同意后才能向社会公布" in response.content.decode()
    office.post(url, {"action": "approve", "approved_on": "2026-12-02", "basis": "经市委常委会同意"})
    office.post(url, {"action": "publish", "published_on": "2026-12-02"})
    text = office.get(url).content.decode()
    assert "城区老旧小区改造" in text and 'data-testid="catalogue-state">已公布' in text
    assert _client("agency_duyun").post(url, {"action": "approve"}).status_code == 403


def test_an_inline_answer_without_a_reason_is_refused_at_the_top_of_the_page(world, clock, decision):
    clock(D(2026, 8, 3))
    decision = wf_open(decision, world)
    comment = Comment.objects.create(decision=decision, content="意见", received_at=timezone.now())
    response = _client("agency_duyun").post(
        reverse("decisions:act", args=[decision.pk, "answer"]),
        {"comment": comment.pk, "answer": "adopted"},
        follow=True,
    )
    assert "请填写理由" in response.content.decode()
    comment.refresh_from_db()
    assert comment.answer == ""


def wf_open(decision, world):  # type: ignore[no-untyped-def]
    from fuyuan.decisions import workflow as wf

    return wf.open_public_comment(
        decision, comment_from=D(2026, 8, 3), comment_until=D(2026, 9, 2), by=world.users["agency_duyun"]
    )
