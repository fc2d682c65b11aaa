"""The classification suggestion (分类化解) read from a matter's text: pure, no database."""

from __future__ import annotations

import pytest

from fuyuan.cases.choices import ActType, Domain
from fuyuan.disputes.choices import Urgency
from fuyuan.disputes.classify import applicant_names, chinese_number, suggest

# 黔西南州: the forestry lawsuit a coordination centre mediated with forestry coordinators.
FORESTRY_COMPENSATION = (
    "原告某良种苗木推广服务中心、陈某、叶某诉被告册亨县人民政府行政赔偿一案，因修建道路毁损苗圃林木，"
    "涉及林业专业问题，请求赔偿苗木损失"
)


def test_the_forestry_compensation_lawsuit_is_suggested_as_forestry_and_state_compensation() -> None:
    s = suggest(FORESTRY_COMPENSATION, applicants="某良种苗木推广服务中心、陈某、叶某")

    assert s.domain == Domain.FORESTRY
    assert s.act_type == ActType.COMPENSATION
    assert s.group_size == 3
    assert s.urgency == Urgency.NORMAL


@pytest.mark.parametrize(
    ("matter", "domain", "act_type"),
    [
        (
            "不服县人民政府作出的集体土地征收补偿安置方案，要求提高补偿标准",
            Domain.LAND_EXPROPRIATION,
            ActType.INDEMNITY,
        ),
        ("不服县公安局作出的行政拘留十日、罚款五百元的处罚决定", Domain.PUBLIC_SECURITY, ActType.PENALTY),
        ("申请办理宅基地不动产登记，县自然资源局逾期未答复", Domain.NATURAL_RESOURCES, ActType.REGISTRATION),
        ("不服县人社局作出的不予工伤认定决定", Domain.LABOUR, ActType.CONFIRMATION),
        ("房屋被认定为违法建筑后遭强制拆除，要求确认违法", Domain.HOUSING, ActType.COERCION),
        ("生态环境分局以超标排污为由作出罚款决定", Domain.ENVIRONMENT, ActType.PENALTY),
        ("林业局以无证采伐林木为由作出没收和罚款的处罚", Domain.FORESTRY, ActType.PENALTY),
        ("向县政府申请公开征收补偿资金的政府信息公开申请未获答复", Domain.LAND_EXPROPRIATION, ActType.INFORMATION),
    ],
)
def test_domain_and_act_type_are_suggested_from_the_words_of_a_realistic_matter(
    matter: str, domain: str, act_type: str
) -> None:
    s = suggest(matter, applicants="王伟")

    assert (s.domain, s.act_type) == (domain, act_type)


def test_each_reason_names_the_words_that_were_found() -> None:
    s = suggest("12户村民不服县政府征地补偿安置方案，多次到县政府上访", applicants="李娜")

    assert s.reasons == [
        "领域“征地拆迁”：含“征地”“安置”",
        "行为类别“行政补偿”：含“补偿”“安置”",
        "紧急程度“紧急”：含“上访”",
        "涉及人数 12：写明“12户”",
    ]
    assert s.as_json()["reasons"] == s.reasons


@pytest.mark.parametrize(
    ("matter", "urgency", "word"),
    [
        ("村民因补偿款未到位聚集在乡政府门口", Urgency.URGENT, "聚集"),
        ("申请人多次上访，已引发媒体关注", Urgency.URGENT, "上访"),
        ("申请人扬言采取极端方式", Urgency.CRITICAL, "极端"),
        ("村民围堵施工现场阻止拆除", Urgency.CRITICAL, "围堵"),
    ],
)
def test_urgency_words_raise_the_urgency_and_are_named(matter: str, urgency: str, word: str) -> None:
    s = suggest(matter)

    assert s.urgency == urgency
    assert any(r.startswith("紧急程度") and f"“{word}”" in r for r in s.reasons)


def test_collective_land_alone_is_not_urgent() -> None:
    assert suggest("不服集体土地征收决定").urgency == Urgency.NORMAL


@pytest.mark.parametrize(
    ("matter", "applicants", "size"),
    [
        ("12户村民不服征地补偿标准", "王伟", 12),
        ("涉及村民三十余户的林地补偿", "王伟", 30),
        ("张某等35人不服房屋征收决定", "张某", 35),
        ("两户村民的宅基地确权纠纷", "王伟", 2),
        ("不服房屋征收决定", "王伟、李娜、张敏", 3),
        ("不服房屋征收决定", "王伟、李娜、张敏等12人", 12),
    ],
)
def test_group_size_is_read_from_the_matter_and_from_the_applicants(matter: str, applicants: str, size: int) -> None:
    s = suggest(matter, applicants=applicants)

    assert s.group_size == size
    assert any(r.startswith(f"涉及人数 {size}：") for r in s.reasons)


@pytest.mark.parametrize(
    "matter",
    [
        "第三人对登记结果提出异议，申请撤销不动产登记",  # 第三人 is a party in law, not three people
        "被处以罚款3000人民币",
        "拘留10日并处罚款500元",
    ],
)
def test_numbers_that_are_not_people_do_not_make_a_group(matter: str) -> None:
    s = suggest(matter, applicants="王伟")

    assert s.group_size == 1
    assert not any(r.startswith("涉及人数") for r in s.reasons)


def test_a_text_with_no_keyword_gets_an_empty_suggestion() -> None:
    s = suggest("请求依法处理我反映的问题", applicants="王伟")

    assert s.as_json() == {
        "domain": "",
        "act_type": "",
        "urgency": Urgency.NORMAL,
        "group_size": 1,
        "reasons": [],
    }


@pytest.mark.parametrize(
    ("numeral", "value"), [("12", 12), ("十", 10), ("十二", 12), ("三十", 30), ("两", 2), ("一百零五", 105)]
)
def test_chinese_numerals_are_read(numeral: str, value: int) -> None:
    assert chinese_number(numeral) == value


def test_applicant_names_leave_out_the_count_of_the_others() -> None:
    assert applicant_names("王伟、李娜等12人") == ["王伟", "李娜"]
    assert applicant_names("云岭州鑫源建材有限公司，张敏") == ["云岭州鑫源建材有限公司", "张敏"]
    assert applicant_names("") == []
