"""The pages through the test client: the queue with its filters and a query bound that does not grow with the rows,
the sender's form (a file attached, bad input named), each step's form on the matter page, and the figures whose
every number opens the matters behind it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from fuyuan.legalreview.choices import Adoption, Conclusion, MatterKind, MatterState
from fuyuan.legalreview.models import LegalMatter
from fuyuan.legalreview.workflow import give_opinion, record_adoption
from tests.factories import PASSWORD, World
from tests.legalreview.conftest import D, submitted, under_review

pytestmark = pytest.mark.django_db


def client_of(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def titles(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [m.title for m in response.context["page"].object_list]


def test_the_queue_filters_by_state_kind_and_sender_within_a_fixed_number_of_queries(
    people: World, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    submitted(people, title="办法甲")
    under_review(people, title="合同乙", kind=MatterKind.CONTRACT)
    submitted(people, title="信访丙", kind=MatterKind.PETITION, by=people.users["rol_duyun"])
    client = client_of("review_duyun")
    url = reverse("legalreview:list")
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert sorted(titles(response)) == ["信访丙", "办法甲", "合同乙"]
    for _ in range(10):
        submitted(people, title="更多")
    with django_assert_max_num_queries(8):
        client.get(url)
    assert titles(client.get(url, {"state": MatterState.UNDER_REVIEW})) == ["合同乙"]
    assert titles(client.get(url, {"kind": MatterKind.PETITION})) == ["信访丙"]
    sender = people.orgs["都匀自然资源局"].pk
    assert "信访丙" not in titles(client.get(url, {"sender": sender}))


def test_the_sender_submits_with_an_attachment_and_sees_it_in_its_own_list(people: World) -> None:
    client = client_of("agency_duyun")
    upload = SimpleUploadedFile("绿化办法（送审稿）.pdf", b"%PDF-1.4 draft", content_type="application/pdf")
    response = client.post(
        reverse("legalreview:submit"), {"kind": "normative", "title": "城市绿化管理办法", "text": "", "upload": upload}
    )
    matter = LegalMatter.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("legalreview:detail", args=[matter.pk])
    assert matter.attachment_name == "绿化办法（送审稿）.pdf"
    download = client.get(reverse("legalreview:attachment", args=[matter.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert titles(client.get(reverse("legalreview:list"))) == ["城市绿化管理办法"]
    assert client_of("agency_fuquan").get(reverse("legalreview:attachment", args=[matter.pk])).status_code == 404


def test_a_bad_submission_shows_the_field_and_writes_nothing(people: World) -> None:
    client = client_of("agency_duyun")
    response = client.post(reverse("legalreview:submit"), {"kind": "normative", "title": "", "text": ""})
    assert response.status_code == 400
    assert "请填写事项名称" in response.content.decode()
    response = client.post(reverse("legalreview:submit"), {"kind": "normative", "title": "办法", "text": ""})
    assert "请填写“送审内容”或上传“送审材料”" in response.content.decode()
    assert not LegalMatter.objects.exists()
    assert client_of("court_duyun").get(reverse("legalreview:submit")).status_code == 403


def test_each_step_is_done_on_the_matter_page_by_its_owner(people: World) -> None:
    matter = submitted(people)
    url = reverse("legalreview:detail", args=[matter.pk])
    reviewer, sender = client_of("review_duyun"), client_of("agency_duyun")
    assert "assign-form" in reviewer.get(url).content.decode()
    assert "assign-form" not in sender.get(url).content.decode()
    reviewer.post(url, {"step": "assign", "reviewer": people.users["review_duyun"].pk})
    reviewer.post(url, {"step": "return", "reason": "请补充起草说明。"})
    sender.post(url, {"step": "material", "text": "已补充。"})
    bad = reviewer.post(url, {"step": "opinion", "conclusion": "lawful", "text": ""})
    assert bad.status_code == 400 and "请填写审查意见" in bad.content.decode()
    reviewer.post(url, {"step": "opinion", "conclusion": "lawful_if_amended", "text": "第五条应删除。"})
    page = sender.get(url).content.decode()
    assert "adoption-form" in page and "下载审查意见书（Word）" in page
    bad = sender.post(url, {"step": "adoption", "adoption": "not_adopted", "reason": ""})
    assert "请填写“采纳情况说明”" in bad.content.decode()
    sender.post(url, {"step": "adoption", "adoption": "partly", "reason": "第五条已删除，其余维持。"})
    matter.refresh_from_db()
    assert (matter.state, matter.conclusion, matter.adoption) == ("closed", "lawful_if_amended", "partly")
    page = sender.get(url).content.decode()
    for summary in ("分办给review_duyun审查", "退回补充材料", "审查意见：修改后合法", "送审单位反馈：部分采纳"):
        assert summary in page


def test_each_figure_opens_exactly_the_matters_it_counts(people: World, clock, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    u = people.users
    a = under_review(people, title="甲")
    give_opinion(a, conclusion=Conclusion.LAWFUL, text="合法。", by=u["review_duyun"])
    record_adoption(a, adoption=Adoption.ADOPTED, reason="", by=u["agency_duyun"])
    b = under_review(people, title="乙", kind=MatterKind.CONTRACT)
    under_review(people, title="丙", by=u["rol_duyun"], kind=MatterKind.PETITION)
    clock(D(2026, 12, 31))  # past the contract's 10 working days (2026-12-16)
    give_opinion(b, conclusion=Conclusion.UNLAWFUL, text="不合法。", by=u["review_duyun"])
    record_adoption(b, adoption=Adoption.NOT_ADOPTED, reason="已另行研究。", by=u["agency_duyun"])
    client = client_of("rol_duyun")
    window = {"date_from": "2026-12-01", "date_to": "2026-12-31"}
    with django_assert_max_num_queries(10):
        response = client.get(reverse("legalreview:figures"), {**window, "by": "sender"})
    total = response.context["total"]
    assert [c["count"] for c in total["cells"]] == [3, 2, 1, 2, 1]
    assert (total["average"], total["on_time_share"], total["followed_share"]) == (14.5, 50.0, 50.0)
    rows = {r["label"]: r for r in response.context["rows"]}
    assert set(rows) == {"都匀市自然资源局", "都匀市人民政府办公室"}
    for row in [*rows.values(), total]:
        for cell in row["cells"]:
            listed = client.get(cell["url"])
            assert listed.status_code == 200
            assert listed.context["page"].paginator.count == cell["count"], cell["url"]
    by_kind = client.get(reverse("legalreview:figures"), {**window, "by": "kind"}).context["rows"]
    assert {r["label"]: r["cells"][0]["count"] for r in by_kind} == {"规范性文件": 1, "行政合同": 1, "复杂信访事项": 1}
    assert client_of("court_duyun").get(reverse("legalreview:figures")).status_code == 403


def test_a_step_posted_by_someone_who_does_not_own_it_is_refused_with_the_reason_and_nothing_changes(
    people: World, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    matter = under_review(people)
    url = reverse("legalreview:detail", args=[matter.pk])
    sender = client_of("agency_duyun")
    response = sender.post(url, {"step": "opinion", "conclusion": "lawful", "text": "自己说合法。"})
    assert response.status_code == 400
    assert "您无权出具审查意见（只有承办人可以出具）" in response.content.decode()
    matter.refresh_from_db()
    assert matter.state == MatterState.UNDER_REVIEW and matter.conclusion == ""
    reviewer = client_of("review_duyun")
    with django_assert_max_num_queries(8):
        reviewer.get(url)


def test_the_sender_answers_a_return_with_a_file_the_reviewer_downloads(people: World) -> None:
    matter = under_review(people)
    url = reverse("legalreview:detail", args=[matter.pk])
    client_of("review_duyun").post(url, {"step": "return", "reason": "请补充起草说明。"})
    sender = client_of("agency_duyun")
    bad = sender.post(url, {"step": "material", "text": ""})
    assert "请填写“补充材料说明”" in bad.content.decode()
    upload = SimpleUploadedFile("起草说明.docx", b"PK\x03\x04draft", content_type="application/octet-stream")
    sender.post(url, {"step": "material", "text": "", "upload": upload})
    matter.refresh_from_db()
    assert (matter.state, matter.material_file_name) == (MatterState.UNDER_REVIEW, "起草说明.docx")
    download = client_of("review_duyun").get(reverse("legalreview:attachment", args=[matter.pk]), {"of": "material"})
    assert b"".join(download.streaming_content).startswith(b"PK")
