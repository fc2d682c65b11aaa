"""类案检索 (SPEC §9 "Similar cases", "Case summaries"): the command's JSON, scoping, the index following edits, the
案情摘要 at every door, and judgments' texts."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from fuyuan.cases.choices import CaseKind
from fuyuan.cases.models import Case
from fuyuan.cases.queries import visible_to
from fuyuan.cases.rules import CaseInvalid
from fuyuan.cases.workflow import update_case
from fuyuan.similar import index
from fuyuan.similar.models import Judgment
from fuyuan.similar.queries import similar_to_case, similar_to_text
from fuyuan.similar.workflow import upload_judgment
from tests.factories import PASSWORD, World
from tests.similar.conftest import DEMOLITION, INFO

pytestmark = pytest.mark.django_db


def similar_json(*args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("similar", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_command_json_has_the_spec_keys_best_first_and_never_the_case_itself(cases: dict[str, Case]) -> None:
    answer = similar_json("（2021）黔2701行初1号")
    assert set(answer) == {"query", "results"}
    assert answer["query"] == "（2021）黔2701行初1号"
    numbers = [r["number"] for r in answer["results"]]
    assert "（2021）黔2701行初1号" not in numbers
    assert numbers[:3] == ["（2021）豫05行初6号", "（2021）黔2701行初2号", "（2021）黔2702行初3号"]
    for result in answer["results"]:
        assert set(result) == {"number", "score", "outcome", "reasons"}
        assert isinstance(result["score"], float)
    scores = [r["score"] for r in answer["results"]]
    assert scores == sorted(scores, reverse=True)
    twin = answer["results"][1]
    assert twin["outcome"] == "确认违法"
    assert "同案由：行政强制" in twin["reasons"] and "同领域：征地拆迁" in twin["reasons"]
    assert "同一被告机关：都匀市自然资源局" in twin["reasons"]
    assert any(r.startswith("共同词语：") and "违法建筑" in r for r in twin["reasons"])
    assert answer["results"][2]["outcome"] is None


def test_command_limit_region_and_text_mode(cases: dict[str, Case]) -> None:
    assert len(similar_json("（2021）黔2701行初1号", "--limit", "2")["results"]) == 2
    in_qiannan = similar_json("（2021）黔2701行初1号", "--region", "黔南州")
    assert "（2021）豫05行初6号" not in [r["number"] for r in in_qiannan["results"]]
    by_text = similar_json("--text", "房子被认定为违法建筑后强制拆除，请求赔偿", "--region", "都匀市")
    assert by_text["query"] == "房子被认定为违法建筑后强制拆除，请求赔偿"
    assert [r["number"] for r in by_text["results"]][:2] == ["（2021）黔2701行初1号", "（2021）黔2701行初2号"]
    assert all(r["number"].startswith("（2021）黔2701") for r in by_text["results"])


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["（2099）无此案"], "未找到案号为“（2099）无此案”的案件"),
        (["（2021）黔2701行初1号", "--region", "火星市"], "未知的地区：“火星市”"),
        ([], "请给出一个案号，或用 --text 给出案情描述（二者只能选一）"),
        (["（2021）黔2701行初1号", "--text", "拆除"], "请给出一个案号，或用 --text 给出案情描述（二者只能选一）"),
        (["--text", "的了"], "请输入案情描述（至少包含一个词语）"),
        (["（2021）黔2701行初1号", "--limit", "0"], "--limit 应为正整数，而不是 0"),
    ],
)
def test_command_errors_say_why_in_one_line(cases: dict[str, Case], args: list[str], reason: str) -> None:
    with pytest.raises(CommandError) as error:
        call_command("similar", *args)
    assert str(error.value) == reason


def test_a_county_users_similar_cases_come_only_from_what_they_may_see(world: World, cases: dict[str, Case]) -> None:
    agency = world.users["agency_duyun"]  # 都匀市自然资源局: its own cases only
    found = similar_to_case(cases["asked"], visible_to(agency)).results
    assert {r.case.number for r in found} == {"（2021）黔2701行初2号", "（2021）黔2701行初4号"}
    county = world.users["rol_duyun"]
    found = similar_to_text(DEMOLITION, visible_to(county)).results
    assert {r.case.number for r in found} <= set(visible_to(county).values_list("number", flat=True))
    assert "（2021）黔2702行初3号" not in {r.case.number for r in found}
    assert "（2021）豫05行初6号" not in {r.case.number for r in found}


def test_the_index_follows_an_edited_summary(world: World, cases: dict[str, Case], clock: Any) -> None:
    office = world.users["rol_pref"]
    query = "醉酒驾驶被吊销驾驶证"
    assert similar_to_text(query, visible_to(office)).results[0].case.number == "（2021）黔2702行初5号"
    info = cases["info"]
    update_case(info, {"summary": "原告醉酒驾驶机动车被吊销驾驶证，认为呼气检测仪器未经检定，请求撤销。"}, by=office)
    first = similar_to_text(query, visible_to(office)).results[0]
    assert first.case.number == "（2021）黔2701行初4号"
    assert "共同词语：醉酒驾驶、驾驶证" in first.reasons or any("醉酒驾驶" in r for r in first.reasons)


def test_case_panel_shows_ten_similar_with_outcomes_and_share_lost(
    client: Client, world: World, cases: dict[str, Case], django_assert_max_num_queries: Any
) -> None:
    client.login(username="rol_pref", password=PASSWORD)
    index.refresh()
    with django_assert_max_num_queries(30):
        page = client.get(reverse("similar:panel", args=[cases["asked"].pk]))
    text = page.content.decode()
    assert "（2021）黔2701行初2号" in text and "确认违法" in text
    assert "（2021）豫05行初6号" not in text  # another prefecture
    assert "已结一审 2 件，败诉 <strong>1</strong> 件，败诉占比 <strong>50.00%</strong>" in text
    assert client.get(reverse("similar:panel", args=[cases["anyang"].pk])).status_code == 404


def test_search_page_masks_phones_in_what_it_shows(client: Client, world: World, cases: dict[str, Case]) -> None:
    client.login(username="rol_pref", password=PASSWORD)
    page = client.get(reverse("similar:search"), {"text": "醉酒驾驶吊销驾驶证"})
    text = page.content.decode()
    assert "（2021）黔2702行初5号" in text and "139****5678" in text and "13912345678" not in text


def test_summary_longer_than_2000_characters_is_refused_at_the_rules(world: World, cases: dict[str, Case]) -> None:
    with pytest.raises(CaseInvalid) as refused:
        update_case(cases["info"], {"summary": "拆" * 2001}, by=world.users["rol_pref"])
    assert refused.value.errors[0].message == "案情摘要过长：2001 个字，最多 2000 个字"
    assert Case.objects.get(pk=cases["info"].pk).summary == INFO


def test_summary_through_the_api_and_masked_in_its_answer(world: World, cases: dict[str, Case]) -> None:
    from fuyuan.api.serializers import case_data

    assert case_data(cases["traffic"])["summary"].endswith("联系电话139****5678。")


def test_uploaded_judgments_are_read_kept_searched_and_shown_masked(
    client: Client, world: World, cases: dict[str, Case]
) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("贵州省都匀市人民法院行政判决书")
    document.add_paragraph("原告张某，身份证号522701198001011234。被告以原告养蜂场占用林地为由予以没收。")
    buffer = io.BytesIO()
    document.save(buffer)
    office = world.users["rol_pref"]
    judgment = upload_judgment(cases["info"], "判决书.docx", buffer.getvalue(), by=office)
    assert "养蜂场占用林地" in judgment.text
    found = similar_to_text("养蜂场占用林地被没收", visible_to(office)).results
    assert found[0].case.number == "（2021）黔2701行初4号"
    client.login(username="rol_pref", password=PASSWORD)
    page = client.get(reverse("similar:panel", args=[cases["info"].pk])).content.decode()
    assert "5227**********1234" in page and "522701198001011234" not in page
    bad = client.post(
        reverse("similar:judgment_upload", args=[cases["info"].pk]),
        {"file": io.BytesIO(b"not a pdf")},
        follow=True,
    )
    assert Judgment.objects.count() == 1
    assert bad.status_code == 200


def test_ledger_reads_the_summary_column_on_both_sheets() -> None:
    from fuyuan.cases.ledger import LITIGATION_COLUMNS, RECONSIDERATION_COLUMNS

    assert "案情摘要" in [c.header for c in LITIGATION_COLUMNS]
    assert "案情摘要" in [c.header for c in RECONSIDERATION_COLUMNS]
    assert CaseKind.LITIGATION


def test_a_pdf_judgment_is_read_with_its_chinese_text(world: World, cases: dict[str, Case]) -> None:
    pdf = (Path(__file__).with_name("judgment.pdf")).read_bytes()  # LibreOffice's PDF of a four-page judgment
    judgment = upload_judgment(cases["twin"], "判决书.pdf", pdf, by=world.users["rol_pref"])
    assert judgment.file_format == "pdf"
    assert "强制拆除原告养殖棚" in judgment.text.replace("\n", "")


def test_every_persona_finds_only_cases_it_may_see_and_the_sweep_keeps_the_index(
    world: World, cases: dict[str, Case], clock: Any
) -> None:
    from fuyuan.notifications.sweep import run_sweep

    report = run_sweep()
    assert report.similar.indexed == len(cases)
    for name, user in world.users.items():
        seen = set(visible_to(user).values_list("number", flat=True))
        found = {r.case.number for r in similar_to_text(DEMOLITION + TRAFFIC_WORDS, visible_to(user), limit=50).results}
        assert found <= seen, name
        assert found == {c.number for c in cases.values() if c.number in seen and c.summary}, name


TRAFFIC_WORDS = "，醉酒驾驶被吊销驾驶证，申请公开征地补偿安置方案"
