"""The eight documents of reconsideration handling (行政复议法 2023; SPEC §6.8, issue 14 item 6), each written from
plain values in the official layout of GB/T 9704 (``documents.official``) and each naming the clause it rests on.

One frozen dataclass of values and one ``render_*`` function per document; the workflow fills the values from the
case (dates already counted on the working-day calendar, 文号 already allotted), so this module reads no database
and imports no model:

==========================  ======================  =======================================================
document                    values                  function
==========================  ======================  =======================================================
行政复议受理通知书            ``AcceptanceNotice``    ``render_acceptance_notice`` (第30条)
补正行政复议申请通知书        ``CorrectionNotice``    ``render_correction_notice`` (第31条)
不予受理行政复议申请决定书    ``RefusalDecision``     ``render_refusal_decision`` (第30条)
行政复议答复通知书            ``ReplyNotice``         ``render_reply_notice`` (第48条, 第54条, 第70条)
行政复议听证通知书            ``HearingNotice``       ``render_hearing_notice`` (第50-51条)
行政复议调解书                ``MediationStatement``  ``render_mediation_statement`` (第73条)
行政复议决定书                ``Decision``            ``render_decision`` (第63-69条; 行政诉讼法 第45条)
行政复议意见书                ``Opinion``             ``render_opinion`` (第76条)
==========================  ======================  =======================================================

The documents are served on the parties, so they carry the parties' full names, ID numbers, addresses and phones.
The 决定书 published under 第79条 goes through ``anonymise`` (``render_decision(..., published=True)`` and
``decision_text(..., published=True)``): natural persons' names become 张某, their ID numbers, addresses and
phones are struck out.
"""

from __future__ import annotations

import datetime
import enum
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.text.paragraph import Paragraph

from fuyuan.documents import official

LAW = "《中华人民共和国行政复议法》"
LITIGATION_LAW = "《中华人民共和国行政诉讼法》"

ACCEPTANCE_NOTICE = "行政复议受理通知书"
CORRECTION_NOTICE = "补正行政复议申请通知书"
REFUSAL_DECISION = "不予受理行政复议申请决定书"
REPLY_NOTICE = "行政复议答复通知书"
HEARING_NOTICE = "行政复议听证通知书"
MEDIATION_STATEMENT = "行政复议调解书"
DECISION = "行政复议决定书"
OPINION = "行政复议意见书"

# What replaces an ID number, an address or a phone in a published text: 《最高人民法院关于人民法院在互联网公布裁判文书的
# 规定》(法释〔2016〕19号) 第十条、第十一条 — such personal data is deleted, and may be marked with "×".
STRUCK_OUT = "×××"
# The mark after the surname of a natural person in a published text (张三 → 张某); two people of one surname are
# told apart in order of appearance in the values: 张某甲, 张某乙 …
PSEUDONYM_MARK = "某"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
# Two-character surnames, kept whole (欧阳娜娜 → 欧阳某), written in pairs.
_COMPOUND = (
    "欧阳太史端木上官司马东方独孤南宫万俟闻人夏侯诸葛尉迟公羊赫连澹台皇甫宗政濮阳公冶太叔申屠公孙慕容仲孙"
    "钟离长孙宇文司徒鲜于司空闾丘子车亓官司寇巫马公西颛孙壤驷公良漆雕乐正宰父谷梁拓跋夹谷轩辕令狐段干百里"
    "呼延东郭南门羊舌微生梁丘左丘西门第五南荣东里东宫即墨达奚褚师"
)
COMPOUND_SURNAMES = frozenset(_COMPOUND[i : i + 2] for i in range(0, len(_COMPOUND), 2))
# A safety net in published texts for numbers the values did not list: an 18-character 公民身份号码 (GB 11643), a
# mobile number, a fixed line with its area code.
_ID_PATTERN = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_PHONE_PATTERN = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)")


class DocumentError(ValueError):
    """The values cannot make the document: the message says what is missing, in the staff's words."""


# --- values shared by the documents -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Party:
    """A party as the documents name it. ``id_number`` is the 公民身份号码 of a person or the 统一社会信用代码 of an
    organisation; ``representative`` the 法定代表人 (or 负责人) of an organisation with the post ("王某某，局长");
    ``agent`` the 委托代理人 with what they are ("李律师，贵州某律师事务所律师")."""

    name: str
    organisation: bool = False
    id_number: str = ""
    address: str = ""
    phone: str = ""
    representative: str = ""
    agent: str = ""


class AcceptanceCondition(enum.IntEnum):
    """The seven conditions of acceptance, by their item in 行政复议法 (2023) 第30条第1款."""

    PARTIES = 1
    INTEREST = 2
    REQUEST = 3
    TIME_LIMIT = 4
    SCOPE = 5
    JURISDICTION = 6
    NOT_DUPLICATE = 7

    @property
    def label(self) -> str:
        return _CONDITIONS[self]


# 行政复议法 (2023) 第30条第1款 (一)–(七), in the law's words.
_CONDITIONS = {
    AcceptanceCondition.PARTIES: "有明确的申请人和符合本法规定的被申请人",
    AcceptanceCondition.INTEREST: "申请人与被申请行政复议的行政行为有利害关系",
    AcceptanceCondition.REQUEST: "有具体的行政复议请求和理由",
    AcceptanceCondition.TIME_LIMIT: "在法定申请期限内提出",
    AcceptanceCondition.SCOPE: "属于本法规定的行政复议范围",
    AcceptanceCondition.JURISDICTION: "属于本机关的管辖范围",
    AcceptanceCondition.NOT_DUPLICATE: (
        "行政复议机关未受理过该申请人就同一行政行为提出的行政复议申请，"
        "并且人民法院未受理过该申请人就同一行政行为提起的行政诉讼"
    ),
}


class DecisionOutcome(enum.StrEnum):
    """The decisions of 行政复议法 (2023) 第63-69条; the values are those of ``cases.ReconsiderationOutcome`` (部分撤销
    is counted there as 撤销)."""

    UPHELD = "upheld"
    REJECTED = "rejected"
    REVOKED = "revoked"
    PARTLY_REVOKED = "partly_revoked"
    VARIED = "varied"
    CONFIRMED_ILLEGAL = "confirmed_illegal"
    CONFIRMED_VOID = "confirmed_void"
    ORDERED_TO_PERFORM = "ordered_to_perform"

    @property
    def label(self) -> str:
        return DECISION_GROUNDS[self][1]

    @property
    def article(self) -> int:
        return DECISION_GROUNDS[self][0]


# The article of 行政复议法 (2023) that grounds each decision.
DECISION_GROUNDS: dict[DecisionOutcome, tuple[int, str]] = {
    DecisionOutcome.VARIED: (63, "变更"),  # 第63条: 内容不适当、未正确适用依据、经查清事实和证据 → 变更
    DecisionOutcome.REVOKED: (
        64,
        "撤销",
    ),  # 第64条: 事实不清、违反法定程序、依据不合法、超越或滥用职权 → 撤销或者部分撤销
    DecisionOutcome.PARTLY_REVOKED: (64, "部分撤销"),
    DecisionOutcome.CONFIRMED_ILLEGAL: (65, "确认违法"),  # 第65条: 不撤销但确认违法
    DecisionOutcome.ORDERED_TO_PERFORM: (66, "责令履行"),  # 第66条: 不履行法定职责 → 在一定期限内履行
    DecisionOutcome.CONFIRMED_VOID: (67, "确认无效"),  # 第67条: 重大且明显违法 → 确认无效
    DecisionOutcome.UPHELD: (68, "维持"),  # 第68条: 事实清楚、证据确凿、依据正确、程序合法、内容适当 → 维持
    DecisionOutcome.REJECTED: (69, "驳回"),  # 第69条: 没有相应法定职责或者受理前已经履行 → 驳回行政复议请求
}


# --- words and dates ----------------------------------------------------------------------------------------------


def article(n: int) -> str:
    """第三十条 — an article of a law as the documents cite it."""
    return f"第{official.chinese_numeral(n)}条"


def chinese_date(day: datetime.date) -> str:
    """2026年12月6日 (GB/T 9704 7.3.5.4: no leading zero)."""
    return official.chinese_date(day)


def chinese_moment(moment: datetime.datetime) -> str:
    """2026年12月18日（星期五）上午9时30分 — the time of a hearing as a notice gives it."""
    weekday = "一二三四五六日"[moment.weekday()]
    if moment.hour < 12:
        part, hour = "上午", moment.hour
    elif moment.hour == 12:
        part, hour = "中午", 12
    else:
        part, hour = "下午", moment.hour - 12
    minutes = f"{moment.minute}分" if moment.minute else ""
    return f"{chinese_date(moment.date())}（星期{weekday}）{part}{hour}时{minutes}"


def _sentence(text: str) -> str:
    """``text`` stripped, ending with one full stop (a trailing "；" or "，" of a list becomes "。")."""
    text = text.strip().rstrip("；;，,、 ")
    return text if text.endswith(("。", "！", "？", "：")) else text + "。"


def _names(parties: Sequence[Party]) -> str:
    return "、".join(p.name for p in parties)


def _you(parties: Sequence[Party]) -> str:
    """How a notice addresses its recipients: 你, 你单位, or 你们."""
    if len(parties) > 1:
        return "你们"
    return "你单位" if parties[0].organisation else "你"


def _numbered(items: Sequence[str], *, level: int = 1) -> list[str]:
    """一、… 二、… (or （一） at level 2), each item one sentence."""
    return [f"{official.heading_number(level, n)}{_sentence(item)}" for n, item in enumerate(items, start=1)]


def _required(**values: object) -> None:
    """``DocumentError`` naming the first value that is empty."""
    for label, value in values.items():
        if (isinstance(value, str) and not value.strip()) or (isinstance(value, tuple | list) and not value):
            raise DocumentError(f"缺少{label}，不能生成文书")


def party_lines(role: str, party: Party) -> list[str]:
    """申请人：张三，公民身份号码：…，住址：…，联系电话：…。 then 法定代表人 and 委托代理人 on lines of their own."""
    parts = [f"{role}：{party.name}"]
    if party.id_number:
        parts.append(f"{'统一社会信用代码' if party.organisation else '公民身份号码'}：{party.id_number}")
    if party.address:
        parts.append(f"{'住所地' if party.organisation else '住址'}：{party.address}")
    if party.phone:
        parts.append(f"联系电话：{party.phone}")
    lines = [_sentence("，".join(parts))]
    if party.representative:
        lines.append(f"法定代表人：{_sentence(party.representative)}")
    if party.agent:
        lines.append(f"委托代理人：{_sentence(party.agent)}")
    return lines


# --- anonymisation for publication (第79条) ----------------------------------------------------------------------


def pseudonyms(names: Iterable[str]) -> dict[str, str]:
    """Each natural person's name → surname + 某 (张三 → 张某, 欧阳娜娜 → 欧阳某); people sharing a surname become 张某甲,
    张某乙 … in the order given, so that a reader can still tell them apart."""
    unique = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    surnames = {name: _surname(name) for name in unique}
    result: dict[str, str] = {}
    seen: dict[str, int] = {}
    for name in unique:
        surname = surnames[name]
        sharing = sum(1 for s in surnames.values() if s == surname)
        if sharing == 1:
            result[name] = surname + PSEUDONYM_MARK
        else:
            index = seen.get(surname, 0)
            seen[surname] = index + 1
            suffix = _STEMS[index] if index < len(_STEMS) else str(index + 1)
            result[name] = surname + PSEUDONYM_MARK + suffix
    return result


def _surname(name: str) -> str:
    if not re.match(r"[\u4e00-\u9fff]", name):
        return PSEUDONYM_MARK  # not a Chinese name: 某某
    if len(name) > 2 and name[:2] in COMPOUND_SURNAMES:
        return name[:2]
    return name[0]


def anonymise(
    text: str,
    names: Iterable[str] = (),
    id_numbers: Iterable[str] = (),
    addresses: Iterable[str] = (),
    phones: Iterable[str] = (),
) -> str:
    """``text`` fit for publication (行政复议法 2023 第79条; 个人信息保护法 第28条 for ID numbers): every name given
    becomes its pseudonym (``pseudonyms``), every ID number, address and phone given becomes ×××, and any other
    number shaped like an ID number or a phone is struck out as well. Longer values are replaced first, so that
    张三丰 is not read as 张三 + 丰; replaced text is never read again."""
    replacements = dict.fromkeys((v.strip() for v in (*id_numbers, *addresses, *phones) if v.strip()), STRUCK_OUT)
    replacements.update(pseudonyms(names))
    if replacements:
        pattern = re.compile("|".join(re.escape(v) for v in sorted(replacements, key=len, reverse=True)))
        text = pattern.sub(lambda m: replacements[m[0]], text)
    text = _ID_PATTERN.sub(STRUCK_OUT, text)
    return _PHONE_PATTERN.sub(STRUCK_OUT, text)


def anonymiser(parties: Iterable[Party]) -> Callable[[str], str]:
    """``anonymise`` with the personal data of the natural persons among ``parties`` (organisations are named
    in full: their names and addresses are public)."""
    people = [p for p in parties if not p.organisation]
    names = [p.name for p in people]
    ids = [p.id_number for p in people]
    addresses = [p.address for p in people]
    phones = [p.phone for p in people]
    return lambda text: anonymise(text, names, ids, addresses, phones)


# --- the writer ---------------------------------------------------------------------------------------------------


class _Writer:
    """Writes a document's lines in the official layout and keeps them as text as well; ``redact`` is applied to
    every line (``anonymise`` for a published copy)."""

    def __init__(self, name: str, body: str, number: str, redact: Callable[[str], str] | None = None) -> None:
        self.redact = redact or (lambda text: text)
        self.doc = official.new_document(title=f"{name}（{number}）", author=body)
        self.lines: list[str] = []
        self.last: list[Paragraph] = []
        for line in (body, name):
            self.last = [official.add_title(self.doc, line)]
            self.lines.append(line)
        self.plain(number, align=WD_ALIGN_PARAGRAPH.RIGHT)
        self.blank()

    def _keep(self, paragraph: Paragraph, text: str) -> Paragraph:
        self.last = [paragraph]
        if text:
            self.lines.append(text)
        return paragraph

    def blank(self) -> None:
        official.add_paragraph(self.doc)

    def plain(self, text: str, *, align: WD_ALIGN_PARAGRAPH | None = None) -> Paragraph:
        text = self.redact(text)
        return self._keep(official.add_paragraph(self.doc, text, indent=False, align=align), text)

    def para(self, text: str) -> Paragraph:
        text = self.redact(text)
        return self._keep(official.add_paragraph(self.doc, text), text)

    def paras(self, texts: Iterable[str]) -> None:
        for text in texts:
            self.para(text)

    def heading(self, n: int, text: str) -> Paragraph:
        paragraph = official.add_heading(self.doc, 1, n, text)
        return self._keep(paragraph, official.heading_number(1, n) + text)

    def addressee(self, name: str) -> Paragraph:
        paragraph = official.add_addressee(self.doc, self.redact(name))
        return self._keep(paragraph, paragraph.text)

    def contact(self, text: str) -> None:
        """The body's contact line (who to call, where to hand in), when the body gives one."""
        if text:
            self.para(f"联系方式：{_sentence(text)}")

    def sign(self, body: str, day: datetime.date, *, signatures: Sequence[tuple[str, str]] = ()) -> bytes:
        """The closing block: signature lines for the parties (if any), then the body's name and the date over which
        its seal goes (7.3.5.1), kept on one page with the last line of the text."""
        block = [*self.last, official.add_paragraph(self.doc)]
        for left, right in signatures:
            block.append(official.add_two_columns(self.doc, left, right))
            self.lines.append(f"{left}\t{right}")
            block.append(official.add_paragraph(self.doc))
        block.append(official.add_paragraph(self.doc))
        block.extend(official.add_signature(self.doc, body, day))
        self.lines.extend([body, chinese_date(day)])
        official.keep_together(block)
        return official.to_bytes(self.doc)


# --- 受理通知书 ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AcceptanceNotice:
    """行政复议受理通知书 to the applicant. ``deemed`` when the review period ran out without a refusal (第30条第3款:
    the application is accepted from the day the period ends, ``accepted_on``)."""

    number: str
    body: str
    applicants: tuple[Party, ...]
    respondent: Party
    act: str
    received_on: datetime.date
    accepted_on: datetime.date
    issued_on: datetime.date
    simplified: bool = False
    deemed: bool = False
    contact: str = ""


def render_acceptance_notice(notice: AcceptanceNotice) -> bytes:
    """The .docx of the 受理通知书 (行政复议法 2023 第30条), with the decision period of 第62条 and the rule of 第42条
    that the act is not suspended."""
    n = notice
    _required(文号=n.number, 复议机关=n.body, 申请人=n.applicants, 行政行为=n.act)
    w = _Writer(ACCEPTANCE_NOTICE, n.body, n.number)
    w.addressee(_names(n.applicants))
    you = _you(n.applicants)
    w.para(f"{you}不服{n.respondent.name}{n.act}，于{chinese_date(n.received_on)}向本机关提出的行政复议申请收悉。")
    if n.deemed:
        # 行政复议法 (2023) 第30条第3款: not refused within the review period = accepted from the period's end.
        w.para(
            f"本机关在审查期限内未作出不予受理决定。根据{LAW}{article(30)}第三款规定，"
            f"该申请自{chinese_date(n.accepted_on)}起视为受理。"
        )
    else:
        w.para(
            f"经审查，该申请符合{LAW}{article(30)}第一款规定的受理条件，本机关决定予以受理，"
            f"受理日期为{chinese_date(n.accepted_on)}。"
        )
    if n.simplified:
        # 第53条: the simplified procedure; 第62条第2款: decided within 30 days of acceptance.
        w.para(
            f"本案适用简易程序审理（{LAW}{article(53)}）。根据该法{article(62)}第二款规定，"
            "本机关将自受理之日起三十日内作出行政复议决定。"
        )
    else:
        # 第62条第1款: decided within 60 days of acceptance, extended once by at most 30 days.
        w.para(
            f"本案适用普通程序审理。根据{LAW}{article(62)}第一款规定，本机关将自受理之日起六十日内作出行政复议决定；"
            "情况复杂，不能在规定期限内作出的，经批准可以适当延长并书面告知，但延长期限最多不超过三十日。"
        )
    # 第42条: the act is not suspended during reconsideration, save in the cases it lists.
    w.para(f"行政复议期间，行政行为不停止执行，但有该法{article(42)}规定情形的除外。")
    w.contact(n.contact)
    return w.sign(n.body, n.issued_on)


# --- 补正通知书 ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CorrectionNotice:
    """补正行政复议申请通知书: every missing item at once (第31条), with the last day of the applicant's 10 working
    days (``due_on``, counted by the workflow: ``reconsideration.correction_reply``)."""

    number: str
    body: str
    applicants: tuple[Party, ...]
    respondent: Party
    act: str
    received_on: datetime.date
    items: tuple[str, ...]
    due_on: datetime.date
    issued_on: datetime.date
    contact: str = ""


def render_correction_notice(notice: CorrectionNotice) -> bytes:
    """The .docx of the 补正通知书 (行政复议法 2023 第31条; the ten days are working days, 第88条)."""
    n = notice
    _required(文号=n.number, 复议机关=n.body, 申请人=n.applicants, 需要补正的事项=n.items)
    if n.due_on <= n.issued_on:
        raise DocumentError("补正期限届满日应当在通知日期之后")
    w = _Writer(CORRECTION_NOTICE, n.body, n.number)
    w.addressee(_names(n.applicants))
    you = _you(n.applicants)
    w.para(
        f"{you}不服{n.respondent.name}{n.act}，于{chinese_date(n.received_on)}提出的行政复议申请收悉。"
        f"经审查，申请材料不齐全或者表述不清楚，本机关无法判断该申请是否符合{LAW}{article(30)}第一款规定的受理条件。"
        f"根据该法{article(31)}规定，现一次性告知需要补正的全部事项："
    )
    w.paras(_numbered(n.items))
    w.para(
        f"请{you}自收到本通知之日起十日内（工作日，该法{article(88)}），即最迟于{chinese_date(n.due_on)}，"
        "向本机关提交补正材料。有正当理由不能按期补正的，请在期限内向本机关说明，本机关可以延长合理的补正期限。"
    )
    w.para(f"无正当理由逾期不补正的，视为{you}放弃行政复议申请，本机关将记录在案。")
    w.para(f"本机关收到补正材料后，将依照该法{article(30)}的规定处理。")
    w.contact(n.contact)
    return w.sign(n.body, n.issued_on)


# --- 不予受理决定书 -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RefusalDecision:
    """不予受理行政复议申请决定书: the conditions of 第30条第1款 the application fails (``grounds``), the reasons in
    the body's words, and, when the body is not competent, the competent reconsideration body (``competent_body``)."""

    number: str
    body: str
    applicants: tuple[Party, ...]
    respondent: Party
    act: str
    received_on: datetime.date
    grounds: tuple[AcceptanceCondition, ...]
    reasons: str
    issued_on: datetime.date
    competent_body: str = ""


def render_refusal_decision(decision: RefusalDecision) -> bytes:
    """The .docx of the 不予受理决定书 (行政复议法 2023 第30条第2款: refused with reasons; not this body's case → the
    competent body named)."""
    d = decision
    _required(文号=d.number, 复议机关=d.body, 申请人=d.applicants, 不予受理的理由=d.reasons, 不符合的受理条件=d.grounds)
    if d.competent_body and AcceptanceCondition.JURISDICTION not in d.grounds:
        raise DocumentError("告知有管辖权的行政复议机关时，不予受理的条件应当包括“属于本机关的管辖范围”")
    if AcceptanceCondition.JURISDICTION in d.grounds and not d.competent_body.strip():
        raise DocumentError("不属于本机关管辖的，应当告知申请人有管辖权的行政复议机关")
    w = _Writer(REFUSAL_DECISION, d.body, d.number)
    for applicant in d.applicants:
        w.paras(party_lines("申请人", applicant))
    w.paras(party_lines("被申请人", d.respondent))
    w.para(f"申请人不服被申请人{d.act}，于{chinese_date(d.received_on)}向本机关申请行政复议。")
    w.para(f"经审查，本机关认为：{_sentence(d.reasons)}")
    items = "、".join(f"第（{official.chinese_numeral(g)}）项“{g.label}”" for g in sorted(set(d.grounds)))
    w.para(f"该申请不符合{LAW}{article(30)}第一款{items}的规定。")
    w.para(f"根据{LAW}{article(30)}第二款规定，本机关决定不予受理。")
    if d.competent_body:
        w.para(
            f"该申请不属于本机关管辖，申请人可以向有管辖权的行政复议机关{d.competent_body.strip()}提出行政复议申请。"
        )
    # 行政诉讼法 第45条 (and 行政复议法 2023 第34条 where reconsideration comes first): 15 days to sue from service.
    w.para("申请人如不服本决定，可以自收到本决定书之日起十五日内，依法向人民法院提起行政诉讼。")
    return w.sign(d.body, d.issued_on)


# --- 答复通知书 ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReplyNotice:
    """行政复议答复通知书 to the respondent with the copy of the application: reply within 10 working days
    (第48条) or 5 in the simplified procedure (第54条), ``due_on`` being the last day (``reconsideration.reply`` or
    ``reconsideration.simplified_reply``); ``oral`` when the application was made orally (a copy of the 申请笔录
    goes instead of the application)."""

    number: str
    body: str
    respondent: Party
    applicants: tuple[Party, ...]
    act: str
    accepted_on: datetime.date
    due_on: datetime.date
    issued_on: datetime.date
    simplified: bool = False
    oral: bool = False
    contact: str = ""


def render_reply_notice(notice: ReplyNotice) -> bytes:
    """The .docx of the 答复通知书 (行政复议法 2023 第48条 / 第54条), with the rule of 第46条 on evidence and the
    warning of 第70条: no reply in time = the act has no evidence."""
    n = notice
    _required(文号=n.number, 复议机关=n.body, 被申请人=n.respondent.name, 申请人=n.applicants, 行政行为=n.act)
    if n.due_on <= n.issued_on:
        raise DocumentError("答复期限届满日应当在通知日期之后")
    clause, days = (article(54), "五日") if n.simplified else (article(48), "十日")
    copy = "行政复议申请笔录复印件" if n.oral else "行政复议申请书副本"
    w = _Writer(REPLY_NOTICE, n.body, n.number)
    w.addressee(n.respondent.name)
    w.para(
        f"{_names(n.applicants)}不服你单位{n.act}，向本机关申请行政复议，本机关已于{chinese_date(n.accepted_on)}依法受理"
        f"{'，适用简易程序审理' if n.simplified else ''}。"
    )
    w.para(
        f"根据{LAW}{clause}规定，现将{copy}发送你单位。请你单位自收到之日起{days}内（工作日，该法{article(88)}），"
        f"即最迟于{chinese_date(n.due_on)}，提出书面答复，并提交作出该行政行为的证据、依据和其他有关材料。"
    )
    w.para(
        f"根据该法{article(46)}规定，行政复议期间，你单位不得自行向申请人和其他有关单位或者个人收集证据；"
        "自行收集的证据不作为认定行政行为合法性、适当性的依据。"
    )
    w.para(
        f"根据该法{article(70)}规定，你单位不按期提出书面答复、提交作出行政行为的证据、依据和其他有关材料的，"
        "视为该行政行为没有证据、依据，本机关将决定撤销、部分撤销该行政行为，确认该行政行为违法、无效或者决定你单位"
        "在一定期限内履行，但是行政行为涉及第三人合法权益，第三人提供证据的除外。"
    )
    w.contact(n.contact)
    w.plain(f"附件：{copy}")
    return w.sign(n.body, n.issued_on)


# --- 听证通知书 ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HearingNotice:
    """行政复议听证通知书 to one party (``addressee``: an applicant, the respondent or a third party), sent at least
    5 working days before the hearing (第51条; ``reconsideration.hearing_notice``, checked by the workflow)."""

    number: str
    body: str
    addressee: Party
    applicants: tuple[Party, ...]
    respondent: Party
    act: str
    held_at: datetime.datetime
    place: str
    matters: tuple[str, ...]
    issued_on: datetime.date
    presiding: str = ""
    contact: str = ""


def render_hearing_notice(notice: HearingNotice) -> bytes:
    """The .docx of the 听证通知书 (行政复议法 2023 第50条: the hearing; 第51条: time, place and matters notified,
    the applicant's absence = waiver, the respondent's head to attend or explain and send staff)."""
    n = notice
    _required(文号=n.number, 复议机关=n.body, 听证地点=n.place, 拟听证事项=n.matters)
    if n.held_at.date() <= n.issued_on:
        raise DocumentError("听证日期应当在通知日期之后")
    to_respondent = n.addressee.name == n.respondent.name
    w = _Writer(HEARING_NOTICE, n.body, n.number)
    w.addressee(n.addressee.name)
    w.para(
        f"{_names(n.applicants)}不服{n.respondent.name}{n.act}申请行政复议一案，本机关决定根据{LAW}{article(50)}"
        f"规定举行听证。根据该法{article(51)}规定，现将有关事项通知如下："
    )
    items = [
        f"听证时间：{chinese_moment(n.held_at)}",
        f"听证地点：{n.place.strip()}",
        "拟听证事项：" + "；".join(f"（{official.chinese_numeral(i)}）{m.strip()}" for i, m in enumerate(n.matters, 1)),
    ]
    if n.presiding:
        items.append(f"听证主持人：{n.presiding.strip()}")
    w.paras(_numbered(items))
    if to_respondent:
        w.para(
            "你单位负责人应当参加听证；不能参加的，应当说明理由并委托相应的工作人员参加听证。"
            "请于听证前将参加听证人员的姓名、职务及授权委托书报送本机关。"
        )
    else:
        w.para("申请人无正当理由拒不参加听证的，视为放弃听证权利。被申请人的负责人应当参加听证。")
    w.para("请携带身份证明及有关证据材料按时参加；委托代理人参加的，请提交授权委托书。")
    w.contact(n.contact)
    return w.sign(n.body, n.issued_on)


# --- 调解书 -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MediationStatement:
    """行政复议调解书: the parties, the facts, the terms the parties agreed (one a line, in order), and the lines the
    parties sign and the body seals (第73条)."""

    number: str
    body: str
    applicants: tuple[Party, ...]
    respondent: Party
    act: str
    received_on: datetime.date
    request: str
    facts: str
    terms: tuple[str, ...]
    issued_on: datetime.date
    third_parties: tuple[Party, ...] = ()


def render_mediation_statement(statement: MediationStatement) -> bytes:
    """The .docx of the 调解书 (行政复议法 2023 第5条: mediation lawful and voluntary; 第73条: effective once signed
    or sealed by every party and sealed by the body; a party going back on it before then = the case is decided)."""
    s = statement
    _required(文号=s.number, 复议机关=s.body, 申请人=s.applicants, 调解协议内容=s.terms, 案件事实=s.facts)
    w = _Writer(MEDIATION_STATEMENT, s.body, s.number)
    for applicant in s.applicants:
        w.paras(party_lines("申请人", applicant))
    w.paras(party_lines("被申请人", s.respondent))
    for third in s.third_parties:
        w.paras(party_lines("第三人", third))
    w.para(
        f"申请人不服被申请人{s.act}，于{chinese_date(s.received_on)}向本机关申请行政复议，"
        f"请求：{_sentence(s.request)}本机关依法受理。"
    )
    w.para(f"经查：{_sentence(s.facts)}")
    w.para(
        f"本案经本机关依照{LAW}{article(5)}、{article(73)}规定，按照合法、自愿的原则主持调解，当事人自愿达成如下协议："
    )
    w.paras(_numbered(s.terms))
    w.para(
        "本调解书经各方当事人签字或者签章，并加盖本机关印章，即具有法律效力。"
        "调解书生效前一方反悔的，本机关将依法审查或者及时作出行政复议决定。"
    )
    signatures = [("申请人（签名或者盖章）：", "被申请人（盖章）：")]
    if s.third_parties:
        signatures.append(("第三人（签名或者盖章）：", ""))
    return w.sign(s.body, s.issued_on, signatures=signatures)


# --- 行政复议决定书 -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """行政复议决定书. ``orders`` are the operative items ("撤销被申请人…", "责令被申请人于…日内重新作出…"); left
    empty, the outcome's plain order is written (``default_orders``), which 变更, 部分撤销 and 责令履行 do not have.
    ``article_detail`` sharpens the citation ("第一款第（一）项"); ``no_reply`` when the respondent did not reply in
    time (第70条 then grounds the decision too)."""

    number: str
    body: str
    applicants: tuple[Party, ...]
    respondent: Party
    act: str
    request: str
    received_on: datetime.date
    applicant_says: str
    respondent_says: str
    facts: str
    reasons: str
    outcome: DecisionOutcome
    issued_on: datetime.date
    orders: tuple[str, ...] = ()
    article_detail: str = ""
    third_parties: tuple[Party, ...] = ()
    simplified: bool = False
    no_reply: bool = False


def default_orders(outcome: DecisionOutcome, act: str) -> tuple[str, ...]:
    """The order an outcome writes by itself (第68条 维持, 第69条 驳回, 第64条 撤销, 第65条 确认违法, 第67条 确认
    无效); ``DocumentError`` for those whose terms only the body can state (变更, 部分撤销, 责令履行)."""
    plain = {
        DecisionOutcome.UPHELD: f"维持被申请人{act}。",
        DecisionOutcome.REJECTED: "驳回申请人的行政复议请求。",
        DecisionOutcome.REVOKED: f"撤销被申请人{act}。",
        DecisionOutcome.CONFIRMED_ILLEGAL: f"确认被申请人{act}违法。",
        DecisionOutcome.CONFIRMED_VOID: f"确认被申请人{act}无效。",
    }
    if outcome not in plain:
        raise DocumentError(f"{outcome.label}决定应当写明决定的具体内容")
    return (plain[outcome],)


def decision_grounds(decision: Decision) -> str:
    """根据《中华人民共和国行政复议法》第六十四条第一款第（一）项规定 — the clause that grounds the outcome, with
    第七十条 before it when the respondent did not reply."""
    clauses = [article(70)] if decision.no_reply else []
    clauses.append(article(DecisionOutcome(decision.outcome).article) + decision.article_detail.strip())
    return f"根据{LAW}{'、'.join(clauses)}规定"


def _decision_lines(d: Decision, w: _Writer) -> None:
    _required(
        文号=d.number, 复议机关=d.body, 申请人=d.applicants, 行政行为=d.act, 行政复议请求=d.request,
        经审理查明的事实=d.facts, 决定理由=d.reasons,
    )  # fmt: skip
    outcome = DecisionOutcome(d.outcome)
    orders = d.orders or default_orders(outcome, d.act)
    for applicant in d.applicants:
        w.paras(party_lines("申请人", applicant))
    w.paras(party_lines("被申请人", d.respondent))
    for third in d.third_parties:
        w.paras(party_lines("第三人", third))
    procedure = "简易" if d.simplified else "普通"
    w.para(
        f"申请人不服被申请人{d.act}，于{chinese_date(d.received_on)}向本机关申请行政复议，本机关依法已予受理，"
        f"适用{procedure}程序审理。本案现已审理终结。"
    )
    w.para(f"申请人请求：{_sentence(d.request)}")
    if d.applicant_says.strip():
        w.para(f"申请人称：{_sentence(d.applicant_says)}")
    if d.no_reply:
        w.para("被申请人未在法定期限内提出书面答复、提交作出行政行为的证据、依据和其他有关材料。")
    elif d.respondent_says.strip():
        w.para(f"被申请人称：{_sentence(d.respondent_says)}")
    w.para(f"经审理查明：{_sentence(d.facts)}")
    w.para(f"本机关认为：{_sentence(d.reasons)}")
    w.para(f"{decision_grounds(d)}，本机关决定如下：")
    w.paras(_numbered(orders) if len(orders) > 1 else [_sentence(orders[0])])
    # 行政复议法 (2023) 第75条: effective once served.
    w.para(f"本决定书自送达之日起发生法律效力（{LAW}{article(75)}）。")
    # 行政诉讼法 第45条: 15 days from receipt of the reconsideration decision to sue.
    who = "申请人、第三人" if d.third_parties else "申请人"
    w.para(
        f"{who}如不服本决定，可以根据{LITIGATION_LAW}{article(45)}规定，"
        "自收到本决定书之日起十五日内，依法向人民法院提起行政诉讼。"
    )


def _decision_writer(decision: Decision, published: bool) -> _Writer:
    redact = anonymiser((*decision.applicants, *decision.third_parties)) if published else None
    w = _Writer(DECISION, decision.body, decision.number, redact)
    _decision_lines(decision, w)
    return w


def render_decision(decision: Decision, *, published: bool = False) -> bytes:
    """The .docx of the 行政复议决定书 (行政复议法 2023 第63-69条, 第75条; 行政诉讼法 第45条), as served on the
    parties, or ``published`` (第79条) with the natural persons' personal data removed (``anonymise``)."""
    w = _decision_writer(decision, published)
    return w.sign(decision.body, decision.issued_on)


def decision_text(decision: Decision, *, published: bool = False) -> str:
    """The 决定书's text, one paragraph a line, as ``render_decision`` writes it: for the public list page and the
    export of published decisions (``published=True``)."""
    w = _decision_writer(decision, published)
    return "\n".join([*w.lines, decision.body, chinese_date(decision.issued_on)])


# --- 行政复议意见书 -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Opinion:
    """行政复议意见书 to the respondent or another lower body (``addressee``): the problems found in ``case`` (the
    case as named: "申请人张三不服都匀市自然资源局行政处罚决定一案"), what to correct, and the report due within 60
    days of receipt (``report_due_on`` when the day of receipt is known: ``reconsideration.opinion_report``)."""

    number: str
    body: str
    addressee: str
    case: str
    problems: tuple[str, ...]
    corrections: tuple[str, ...]
    issued_on: datetime.date
    report_due_on: datetime.date | None = None
    contact: str = ""


def render_opinion(opinion: Opinion) -> bytes:
    """The .docx of the 意见书 (行政复议法 2023 第76条: acts found illegal or improper in handling a case; the body
    reports its correction within 60 days; 第77条: it must be carried out)."""
    o = opinion
    _required(文号=o.number, 复议机关=o.body, 主送机关=o.addressee, 存在的问题=o.problems, 纠正意见=o.corrections)
    w = _Writer(OPINION, o.body, o.number)
    w.addressee(o.addressee)
    w.para(
        f"本机关在办理{o.case.strip()}过程中，发现你单位的有关行政行为存在违法或者不当的问题。"
        f"根据{LAW}{article(76)}规定，现提出如下意见："
    )
    w.heading(1, "存在的问题")
    w.paras(f"{i}.{_sentence(p)}" for i, p in enumerate(o.problems, start=1))
    w.heading(2, "纠正意见")
    w.paras(f"{i}.{_sentence(c)}" for i, c in enumerate(o.corrections, start=1))
    due = f"（即最迟于{chinese_date(o.report_due_on)}）" if o.report_due_on else ""
    w.para(
        f"请你单位自收到本意见书之日起六十日内{due}，将纠正相关违法或者不当行政行为的情况书面报送本机关。"
        f"你单位应当履行本意见书（该法{article(77)}）。"
    )
    w.contact(o.contact)
    return w.sign(o.body, o.issued_on)
