"""The eight documents of reconsideration handling (行政复议法 2023; SPEC §6.8): each written from its values in the
official layout, each naming its clause, each opened by python-docx and printed to PDF by LibreOffice; the 决定书
published with the parties' personal data removed (第79条)."""

from __future__ import annotations

import dataclasses
import datetime
import io
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from fuyuan.reconsideration.documents import (
    AcceptanceCondition,
    AcceptanceNotice,
    CorrectionNotice,
    Decision,
    DecisionOutcome,
    DocumentError,
    HearingNotice,
    MediationStatement,
    Opinion,
    Party,
    RefusalDecision,
    ReplyNotice,
    anonymise,
    chinese_moment,
    decision_text,
    pseudonyms,
    render_acceptance_notice,
    render_correction_notice,
    render_decision,
    render_hearing_notice,
    render_mediation_statement,
    render_opinion,
    render_refusal_decision,
    render_reply_notice,
)

D = datetime.date
BODY = "都匀市人民政府"
ACT = "于2026年9月1日作出的《行政处罚决定书》（都自然资罚〔2026〕8号）"
APPLICANT = Party(
    "张三",
    id_number="522701199001011234",
    address="贵州省都匀市剑江中路1号",
    phone="13912341234",
    agent="李明，贵州黔南律师事务所律师",
)
RESPONDENT = Party(
    "都匀市自然资源局", organisation=True, address="贵州省都匀市民族路8号", representative="王建国，局长"
)
THIRD_PARTY = Party("张四", id_number="52270119920202567X", address="贵州省都匀市沙包堡路3号", phone="0854-8221234")

ACCEPTANCE = AcceptanceNotice(
    number="都府复受字〔2026〕12号",
    body=BODY,
    applicants=(APPLICANT,),
    respondent=RESPONDENT,
    act=ACT,
    received_on=D(2026, 11, 2),
    accepted_on=D(2026, 11, 5),
    issued_on=D(2026, 11, 5),
    contact="赵敏，0854-8223456",
)
CORRECTION = CorrectionNotice(
    number="都府复补字〔2026〕3号",
    body=BODY,
    applicants=(APPLICANT,),
    respondent=RESPONDENT,
    act=ACT,
    received_on=D(2026, 11, 2),
    items=("申请人身份证明复印件", "被申请复议的行政处罚决定书复印件；", "具体的行政复议请求"),
    due_on=D(2026, 11, 18),
    issued_on=D(2026, 11, 4),
)
REFUSAL = RefusalDecision(
    number="都府复不字〔2026〕2号",
    body=BODY,
    applicants=(APPLICANT,),
    respondent=RESPONDENT,
    act=ACT,
    received_on=D(2026, 11, 2),
    grounds=(AcceptanceCondition.JURISDICTION,),
    reasons="被申请复议的行政行为系黔南州自然资源局作出，不属于本机关管辖",
    issued_on=D(2026, 11, 6),
    competent_body="黔南布依族苗族自治州人民政府",
)
REPLY = ReplyNotice(
    number="都府复答字〔2026〕12号",
    body=BODY,
    respondent=RESPONDENT,
    applicants=(APPLICANT,),
    act=ACT,
    accepted_on=D(2026, 11, 5),
    due_on=D(2026, 11, 20),
    issued_on=D(2026, 11, 6),
)
HEARING = HearingNotice(
    number="都府复听字〔2026〕1号",
    body=BODY,
    addressee=RESPONDENT,
    applicants=(APPLICANT,),
    respondent=RESPONDENT,
    act=ACT,
    held_at=datetime.datetime(2026, 12, 4, 9, 30),
    place="都匀市人民政府行政复议听证室（都匀市行政中心3楼）",
    matters=("罚款数额是否适用裁量基准", "处罚程序是否合法"),
    issued_on=D(2026, 11, 25),
    presiding="陈立",
)
MEDIATION = MediationStatement(
    number="都府复调字〔2026〕1号",
    body=BODY,
    applicants=(APPLICANT,),
    respondent=RESPONDENT,
    act=ACT,
    received_on=D(2026, 11, 2),
    request="撤销该行政处罚决定",
    facts="被申请人以申请人未经批准占用林地为由处以罚款三万元，罚款数额未适用本地裁量基准",
    terms=("被申请人于2026年12月31日前将罚款变更为一万五千元", "申请人撤回行政复议申请"),
    issued_on=D(2026, 12, 1),
)
DECISION = Decision(
    number="都府复决字〔2026〕12号",
    body=BODY,
    applicants=(APPLICANT,),
    respondent=RESPONDENT,
    act=ACT,
    request="撤销该行政处罚决定",
    received_on=D(2026, 11, 2),
    applicant_says="张三未占用林地，被申请人认定事实错误。张三的联系电话13912341234一直畅通，被申请人未告知其陈述申辩权利",
    respondent_says="申请人占用林地的事实清楚，处罚适当",
    facts="2026年9月1日，被申请人对张三作出罚款三万元的行政处罚决定，送达地址为贵州省都匀市剑江中路1号；处罚前未告知张三陈述、申辩的权利",
    reasons="被申请人作出处罚决定前未告知申请人陈述、申辩的权利，违反法定程序",
    outcome=DecisionOutcome.REVOKED,
    orders=("撤销被申请人" + ACT, "责令被申请人自收到本决定书之日起六十日内重新作出行政行为"),
    article_detail="第一款第（二）项",
    issued_on=D(2026, 12, 1),
)
OPINION = Opinion(
    number="都府复意字〔2026〕1号",
    body=BODY,
    addressee="都匀市自然资源局",
    case="张三不服都匀市自然资源局行政处罚决定申请行政复议一案",
    problems=("作出行政处罚前未告知当事人陈述、申辩的权利", "罚款未适用本地裁量基准"),
    corrections=("对同类案件的告知程序开展自查", "修订罚款裁量基准的适用规则"),
    issued_on=D(2026, 12, 1),
    report_due_on=D(2027, 2, 1),
)

Render = Callable[[Any], bytes]
# Each document: its values, its renderer, its title, and what the reader must find: the key values and the clause.
DOCUMENTS: dict[str, tuple[Any, Render, str, list[str]]] = {
    "acceptance": (
        ACCEPTANCE, render_acceptance_notice, "行政复议受理通知书",
        ["张三：", "都匀市自然资源局", "2026年11月2日", "2026年11月5日", "第三十条第一款", "六十日内"],
    ),
    "correction": (
        CORRECTION, render_correction_notice, "补正行政复议申请通知书",
        ["张三：", "第三十一条", "一次性告知", "十日内", "2026年11月18日", "视为你放弃行政复议申请"],
    ),
    "refusal": (
        REFUSAL, render_refusal_decision, "不予受理行政复议申请决定书",
        ["第三十条第二款", "本机关决定不予受理", "黔南布依族苗族自治州人民政府", "十五日内"],
    ),
    "reply": (
        REPLY, render_reply_notice, "行政复议答复通知书",
        ["都匀市自然资源局：", "第四十八条", "十日内", "2026年11月20日", "第七十条", "视为该行政行为没有证据、依据"],
    ),
    "hearing": (
        HEARING, render_hearing_notice, "行政复议听证通知书",
        ["第五十条", "第五十一条", "2026年12月4日（星期五）上午9时30分", "行政复议听证室", "你单位负责人应当参加听证"],
    ),
    "mediation": (
        MEDIATION, render_mediation_statement, "行政复议调解书",
        ["第七十三条", "一、被申请人于2026年12月31日前将罚款变更为一万五千元。", "二、申请人撤回行政复议申请。"],
    ),
    "decision": (
        DECISION, render_decision, "行政复议决定书",
        ["第六十四条第一款第（二）项", "本机关决定如下", "《中华人民共和国行政诉讼法》第四十五条", "十五日内"],
    ),
    "opinion": (
        OPINION, render_opinion, "行政复议意见书",
        ["都匀市自然资源局：", "第七十六条", "一、存在的问题", "二、纠正意见", "六十日内", "2027年2月1日"],
    ),
}  # fmt: skip


def read_docx(content: bytes) -> Document:
    return docx.Document(io.BytesIO(content))


def texts(document: Document) -> list[str]:
    return [p.text for p in document.paragraphs if p.text.strip()]


def east_asian_font(paragraph: Any) -> set[str | None]:
    return {r._element.rPr.rFonts.get(qn("w:eastAsia")) for r in paragraph.runs}


@pytest.mark.parametrize("kind", DOCUMENTS)
def test_each_document_opens_with_the_body_its_title_its_number_and_names_its_clause(kind: str) -> None:
    values, render, title, expected = DOCUMENTS[kind]
    document = read_docx(render(values))
    lines = texts(document)

    assert lines[:3] == [BODY, title, values.number]
    whole = "".join(lines)
    assert "《中华人民共和国行政复议法》" in whole
    for text in expected:
        assert text in whole, text
    # The seal goes over the body's name and the date, which close the document on the page of its last lines.
    day = values.issued_on
    assert lines[-2:] == [BODY, f"{day.year}年{day.month}月{day.day}日"]
    assert document.paragraphs[-1].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert document.paragraphs[-3].paragraph_format.keep_with_next


@pytest.mark.parametrize("kind", DOCUMENTS)
def test_each_document_is_in_the_official_layout_title_小标宋_2号_and_body_仿宋_3号(kind: str) -> None:
    values, render, _, _ = DOCUMENTS[kind]
    document = read_docx(render(values))

    body_title, title, *rest = [p for p in document.paragraphs if p.text.strip()]
    for paragraph in (body_title, title):
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert {r.font.size for r in paragraph.runs} == {Pt(22)}
        assert east_asian_font(paragraph) == {"方正小标宋简体"}
    assert {r.font.size for p in rest for r in p.runs} == {Pt(16)}
    assert (round(document.sections[0].page_width.mm), round(document.sections[0].top_margin.mm)) == (210, 37)


def test_the_acceptance_notice_says_when_the_application_was_deemed_accepted_and_the_simplified_period() -> None:
    notice = dataclasses.replace(ACCEPTANCE, deemed=True, simplified=True, accepted_on=D(2026, 11, 9))
    whole = "".join(texts(read_docx(render_acceptance_notice(notice))))

    assert "本机关在审查期限内未作出不予受理决定" in whole
    assert "第三十条第三款规定，该申请自2026年11月9日起视为受理" in whole
    assert "适用简易程序审理" in whole and "自受理之日起三十日内作出行政复议决定" in whole
    assert "六十日内" not in whole


def test_the_correction_notice_lists_every_missing_item_at_once_numbered_and_ending_in_a_full_stop() -> None:
    lines = texts(read_docx(render_correction_notice(CORRECTION)))

    start = next(i for i, line in enumerate(lines) if line.endswith("现一次性告知需要补正的全部事项：")) + 1
    assert lines[start : start + 3] == [
        "一、申请人身份证明复印件。",
        "二、被申请复议的行政处罚决定书复印件。",
        "三、具体的行政复议请求。",
    ]
    assert "即最迟于2026年11月18日" in lines[start + 3]
    assert "第八十八条" in lines[start + 3]


def test_a_correction_notice_without_items_or_with_a_past_due_date_is_refused() -> None:
    with pytest.raises(DocumentError, match="缺少需要补正的事项"):
        render_correction_notice(dataclasses.replace(CORRECTION, items=()))
    with pytest.raises(DocumentError, match="补正期限届满日应当在通知日期之后"):
        render_correction_notice(dataclasses.replace(CORRECTION, due_on=CORRECTION.issued_on))


def test_the_refusal_names_each_failed_condition_of_第30条_with_the_laws_words() -> None:
    refusal = dataclasses.replace(
        REFUSAL, grounds=(AcceptanceCondition.SCOPE, AcceptanceCondition.TIME_LIMIT), competent_body=""
    )
    whole = "".join(texts(read_docx(render_refusal_decision(refusal))))

    assert "第一款第（四）项“在法定申请期限内提出”、第（五）项“属于本法规定的行政复议范围”的规定" in whole
    assert "有管辖权的行政复议机关" not in whole
    assert "申请人：张三，公民身份号码：522701199001011234" in whole


def test_a_refusal_for_jurisdiction_must_name_the_competent_body_and_only_then() -> None:
    with pytest.raises(DocumentError, match="应当告知申请人有管辖权的行政复议机关"):
        render_refusal_decision(dataclasses.replace(REFUSAL, competent_body=""))
    with pytest.raises(DocumentError, match="属于本机关的管辖范围"):
        render_refusal_decision(dataclasses.replace(REFUSAL, grounds=(AcceptanceCondition.SCOPE,)))


def test_the_reply_notice_of_the_simplified_procedure_gives_five_days_under_第54条_and_the_record_copy() -> None:
    notice = dataclasses.replace(REPLY, simplified=True, oral=True, due_on=D(2026, 11, 13))
    whole = "".join(texts(read_docx(render_reply_notice(notice))))

    assert "适用简易程序审理" in whole
    assert "第五十四条规定，现将行政复议申请笔录复印件发送你单位" in whole
    assert "五日内（工作日" in whole and "即最迟于2026年11月13日" in whole
    assert "第四十八条" not in whole
    assert "第七十条" in whole


def test_the_hearing_notice_to_the_applicant_warns_that_absence_waives_the_hearing() -> None:
    notice = dataclasses.replace(HEARING, addressee=APPLICANT)
    lines = texts(read_docx(render_hearing_notice(notice)))

    assert lines[3] == "张三："
    whole = "".join(lines)
    assert "拟听证事项：（一）罚款数额是否适用裁量基准；（二）处罚程序是否合法。" in whole
    assert "申请人无正当理由拒不参加听证的，视为放弃听证权利" in whole
    assert "你单位负责人" not in whole


@pytest.mark.parametrize(
    ("moment", "written"),
    [
        (datetime.datetime(2026, 12, 4, 9, 30), "2026年12月4日（星期五）上午9时30分"),
        (datetime.datetime(2026, 12, 7, 14, 0), "2026年12月7日（星期一）下午2时"),
        (datetime.datetime(2026, 12, 6, 12, 15), "2026年12月6日（星期日）中午12时15分"),
    ],
)
def test_a_hearing_time_is_written_with_its_weekday_and_part_of_the_day(
    moment: datetime.datetime, written: str
) -> None:
    assert chinese_moment(moment) == written


def test_the_mediation_statement_has_the_parties_facts_terms_and_the_lines_to_sign_and_seal() -> None:
    statement = dataclasses.replace(MEDIATION, third_parties=(THIRD_PARTY,))
    lines = texts(read_docx(render_mediation_statement(statement)))

    assert "被申请人：都匀市自然资源局，住所地：贵州省都匀市民族路8号。" in lines
    assert "法定代表人：王建国，局长。" in lines
    assert "委托代理人：李明，贵州黔南律师事务所律师。" in lines
    assert any(line.startswith("第三人：张四") for line in lines)
    assert any(line.startswith("经查：被申请人以申请人未经批准占用林地为由") for line in lines)
    assert "本调解书经各方当事人签字或者签章，并加盖本机关印章，即具有法律效力。" in "".join(lines)
    assert lines[-4:] == [
        "申请人（签名或者盖章）：\t被申请人（盖章）：",
        "第三人（签名或者盖章）：\t",
        BODY,
        "2026年12月1日",
    ]


# 行政复议法 (2023): the article that grounds each decision.
OUTCOME_ARTICLES = [
    (DecisionOutcome.UPHELD, "第六十八条", "维持被申请人" + ACT + "。"),
    (DecisionOutcome.REJECTED, "第六十九条", "驳回申请人的行政复议请求。"),
    (DecisionOutcome.REVOKED, "第六十四条", "撤销被申请人" + ACT + "。"),
    (DecisionOutcome.CONFIRMED_ILLEGAL, "第六十五条", "确认被申请人" + ACT + "违法。"),
    (DecisionOutcome.CONFIRMED_VOID, "第六十七条", "确认被申请人" + ACT + "无效。"),
]


@pytest.mark.parametrize(("outcome", "clause", "order"), OUTCOME_ARTICLES)
def test_the_decision_writes_the_outcomes_plain_order_under_the_article_that_grounds_it(
    outcome: DecisionOutcome, clause: str, order: str
) -> None:
    decision = dataclasses.replace(DECISION, outcome=outcome, orders=(), article_detail="")
    lines = texts(read_docx(render_decision(decision)))

    grounds = lines.index(f"根据《中华人民共和国行政复议法》{clause}规定，本机关决定如下：")
    assert lines[grounds + 1] == order


@pytest.mark.parametrize(
    ("outcome", "clause"),
    [
        (DecisionOutcome.VARIED, "第六十三条"),
        (DecisionOutcome.PARTLY_REVOKED, "第六十四条"),
        (DecisionOutcome.ORDERED_TO_PERFORM, "第六十六条"),
    ],
)
def test_a_decision_that_varies_revokes_in_part_or_orders_performance_states_its_terms(
    outcome: DecisionOutcome, clause: str
) -> None:
    with pytest.raises(DocumentError, match="应当写明决定的具体内容"):
        render_decision(dataclasses.replace(DECISION, outcome=outcome, orders=()))
    decision = dataclasses.replace(
        DECISION, outcome=outcome, orders=("责令被申请人于三十日内依法履行职责",), article_detail=""
    )
    lines = texts(read_docx(render_decision(decision)))
    grounds = lines.index(f"根据《中华人民共和国行政复议法》{clause}规定，本机关决定如下：")
    assert lines[grounds + 1] == "责令被申请人于三十日内依法履行职责。"


def test_the_decision_tells_the_whole_case_in_order_and_the_right_to_sue_within_15_days() -> None:
    lines = texts(read_docx(render_decision(DECISION)))

    heads = ["申请人：", "委托代理人：", "被申请人：", "法定代表人：", "申请人不服", "申请人请求：", "申请人称：",
             "被申请人称：", "经审理查明：", "本机关认为：", "根据《中华人民共和国行政复议法》第六十四条第一款第（二）项规定"]  # fmt: skip
    positions = [next(i for i, line in enumerate(lines) if line.startswith(head)) for head in heads]
    assert positions == sorted(positions)
    assert lines[positions[0]] == (
        "申请人：张三，公民身份号码：522701199001011234，住址：贵州省都匀市剑江中路1号，联系电话：13912341234。"
    )
    decided = positions[-1]
    assert lines[decided + 1 : decided + 3] == [
        "一、撤销被申请人" + ACT + "。",
        "二、责令被申请人自收到本决定书之日起六十日内重新作出行政行为。",
    ]
    assert "本决定书自送达之日起发生法律效力（《中华人民共和国行政复议法》第七十五条）。" in lines
    assert (
        "申请人如不服本决定，可以根据《中华人民共和国行政诉讼法》第四十五条规定，"
        "自收到本决定书之日起十五日内，依法向人民法院提起行政诉讼。"
    ) in lines


def test_a_decision_after_no_reply_cites_第70条_and_says_the_respondent_did_not_reply() -> None:
    decision = dataclasses.replace(DECISION, no_reply=True)
    whole = "".join(texts(read_docx(render_decision(decision))))

    assert "根据《中华人民共和国行政复议法》第七十条、第六十四条第一款第（二）项规定" in whole
    assert "被申请人未在法定期限内提出书面答复" in whole
    assert "被申请人称" not in whole


def test_the_opinion_lists_the_problems_and_corrections_and_the_60_day_report() -> None:
    lines = texts(read_docx(render_opinion(OPINION)))

    problems = lines.index("一、存在的问题")
    assert lines[problems + 1 : problems + 3] == [
        "1.作出行政处罚前未告知当事人陈述、申辩的权利。",
        "2.罚款未适用本地裁量基准。",
    ]
    corrections = lines.index("二、纠正意见")
    assert lines[corrections + 1] == "1.对同类案件的告知程序开展自查。"
    assert "自收到本意见书之日起六十日内（即最迟于2027年2月1日）" in lines[corrections + 3]


# --- anonymisation (第79条) ---


def test_a_name_keeps_its_surname_and_the_given_name_becomes_某() -> None:
    assert pseudonyms(["张三", "欧阳娜娜", "李四光"]) == {"张三": "张某", "欧阳娜娜": "欧阳某", "李四光": "李某"}


def test_people_sharing_a_surname_are_told_apart_in_order() -> None:
    assert pseudonyms(["张三", "王五", "张四"]) == {"张三": "张某甲", "王五": "王某", "张四": "张某乙"}


def test_anonymise_replaces_names_ids_addresses_and_phones_and_reads_no_replacement_again() -> None:
    text = "张三丰与张三，公民身份号码522701199001011234，住址贵州省都匀市剑江中路1号，电话13912341234。"

    result = anonymise(
        text,
        names=["张三丰", "张三"],
        id_numbers=["522701199001011234"],
        addresses=["贵州省都匀市剑江中路1号"],
        phones=["13912341234"],
    )

    assert result == "张某甲与张某乙，公民身份号码×××，住址×××，电话×××。"


def test_anonymise_strikes_out_id_numbers_and_phones_it_was_not_given() -> None:
    text = "另查明，其亲属身份证号52270119850505123X，电话0854-8221234、15800001111；文号都府复决字〔2026〕12号。"

    assert anonymise(text) == "另查明，其亲属身份证号×××，电话×××、×××；文号都府复决字〔2026〕12号。"


def test_the_published_decision_keeps_the_agency_and_removes_every_persons_data() -> None:
    decision = dataclasses.replace(DECISION, third_parties=(THIRD_PARTY,))
    served = decision_text(decision)
    published = decision_text(decision, published=True)
    document = "\n".join(texts(read_docx(render_decision(decision, published=True))))

    assert "张三" in served and "13912341234" in served
    for text in (published, document):
        for secret in ("张三", "张四", "522701199001011234", "52270119920202567X", "剑江中路", "沙包堡路",
                       "13912341234", "0854-8221234"):  # fmt: skip
            assert secret not in text, secret
        assert "申请人：张某甲，公民身份号码：×××，住址：×××，联系电话：×××。" in text
        assert "第三人：张某乙" in text
        assert "被申请人：都匀市自然资源局，住所地：贵州省都匀市民族路8号。" in text
        assert "法定代表人：王建国，局长。" in text
    assert published.splitlines() == document.splitlines()


# --- LibreOffice ---


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.fail("需要 LibreOffice（soffice）：apt-get install libreoffice-writer（.ci/run 会安装）")
    return found


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The eight documents printed to PDF by LibreOffice in one run."""
    folder = tmp_path_factory.mktemp("documents")
    sources = []
    for kind, (values, render, _, _) in DOCUMENTS.items():
        source = folder / f"{kind}.docx"
        source.write_bytes(render(values))
        sources.append(str(source))
    subprocess.run(
        [soffice(), f"-env:UserInstallation=file://{folder}/lo", "--headless", "--convert-to", "pdf", "--outdir",
         str(folder), *sources],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return {kind: folder / f"{kind}.pdf" for kind in DOCUMENTS}


@pytest.mark.parametrize("kind", DOCUMENTS)
def test_libreoffice_prints_each_document_to_pdf_with_its_title_values_and_clause(
    kind: str, pdfs: dict[str, Path]
) -> None:
    _, _, title, expected = DOCUMENTS[kind]
    pdf = pdfs[kind]

    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    flat = "".join(text.split())
    assert title in flat
    for value in expected:
        assert "".join(value.split()) in flat, value


def test_the_decisions_first_page_renders_to_a_png_that_is_not_blank(pdfs: dict[str, Path], tmp_path: Path) -> None:
    from PIL import Image

    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdfs["decision"]),
         str(tmp_path / "decision-page1")],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip

    png = tmp_path / "decision-page1.png"
    assert png.stat().st_size > 0
    with Image.open(png) as image:
        assert image.height / image.width == pytest.approx(297 / 210, rel=0.01)  # A4, upright
        grey = image.convert("L")
        dark = sum(grey.histogram()[:128])
    # Ink covers part of the page: the title, the parties and the text, not a blank sheet.
    assert dark > 0.01 * grey.width * grey.height
