"""The file's documents and its archive (issue 14 item 6): each of the eight documents of ``documents`` built from an
``Application`` as it stands, which of them apply now, and the archive zip of a decided file (``archive``).

Document numbers are derived from the file, never stored: ``<body's region>复<字>字〔<year of receipt>〕<N>号`` with N
the serial of the receipt number (``黔南州复申〔2026〕000012号`` → ``黔南州复受字〔2026〕12号``); a 意见书 carries its own
文号 (``Opinion.number``).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from django.utils import timezone

from fuyuan.cases.choices import Acceptance
from fuyuan.reconsideration import documents as docs
from fuyuan.reconsideration.archive import ArchiveEntry, build_archive
from fuyuan.reconsideration.choices import CONDITION, MediationKind, Procedure, RejectionGround, Stage
from fuyuan.reconsideration.forms import lines
from fuyuan.reconsideration.models import Application, Opinion, ReconsiderationHearing
from fuyuan.reconsideration.workflow import correction_due, reply_rule

# The 字 of each document's number.
WORDS = {
    "acceptance": "受",
    "correction": "补",
    "refusal": "不受",
    "reply": "答",
    "hearing": "听",
    "mediation": "调",
    "decision": "决",
}
_SERIAL = re.compile(r"〔(\d{4})〕0*(\d+)号$")


@dataclass(frozen=True)
class FileDocument:
    """A document the file offers: its key in the address, its name, its date and how to make it."""

    key: str
    name: str
    date: datetime.date
    render: Callable[[], bytes]

    @property
    def filename(self) -> str:
        return f"{self.name}.docx"


def number(application: Application, kind: str) -> str:
    """``黔南州复受字〔2026〕12号``: the body's region, the document's 字, the year and serial of the receipt number."""
    match = _SERIAL.search(application.receipt_number)
    year, serial = (
        (match.group(1), match.group(2)) if match else (str(application.created_at.year), str(application.pk))
    )
    return f"{application.body.region.name}复{WORDS[kind]}字〔{year}〕{serial}号"


def applicant(application: Application) -> docs.Party:
    return docs.Party(
        name=application.applicant_name,
        id_number=application.applicant_id_number,
        address=application.applicant_address,
        phone=application.applicant_phone,
        agent=application.agent,
    )


def respondent(application: Application) -> docs.Party:
    return docs.Party(name=application.respondent.name, organisation=True)


def _received(application: Application) -> datetime.date:
    received_on = application.case.received_on
    assert received_on is not None
    return received_on


def _act(application: Application) -> str:
    """The act as the documents name it ("作出的……行政处罚决定"), the respondent's name not repeated."""
    act = application.contested_act.strip()
    return act.removeprefix(application.respondent.name).strip() or act


def acceptance_notice(application: Application) -> docs.AcceptanceNotice:
    accepted_on = application.case.accepted_on
    assert accepted_on is not None
    return docs.AcceptanceNotice(
        number=number(application, "acceptance"),
        body=application.body.name,
        applicants=(applicant(application),),
        respondent=respondent(application),
        act=_act(application),
        received_on=_received(application),
        accepted_on=accepted_on,
        issued_on=accepted_on,
        simplified=application.procedure == Procedure.SIMPLIFIED,
        deemed=application.deemed_accepted,
    )


def correction_notice(application: Application) -> docs.CorrectionNotice:
    requested_on = application.correction_requested_on
    assert requested_on is not None
    return docs.CorrectionNotice(
        number=number(application, "correction"),
        body=application.body.name,
        applicants=(applicant(application),),
        respondent=respondent(application),
        act=_act(application),
        received_on=_received(application),
        items=tuple(application.correction_items),
        due_on=correction_due(application),
        issued_on=requested_on,
    )


def refusal_decision(application: Application) -> docs.RefusalDecision:
    """The conditions of 第30条第1款 the application fails, from its stored grounds (``RejectionGround``), and the
    body's reasons. A file refused before the grounds were stored has none: a named competent body then means
    第(六)项 (not within this body's jurisdiction), otherwise 第(三)项 (a definite request and reasons)."""
    competent = application.competent_body
    stored = [RejectionGround(g) for g in application.rejection_grounds if g in RejectionGround.values]
    if stored:
        conditions = tuple(dict.fromkeys(docs.AcceptanceCondition(CONDITION[g]) for g in stored))
    else:
        conditions = (docs.AcceptanceCondition.JURISDICTION if competent else docs.AcceptanceCondition.REQUEST,)
    reason = (
        application.rejection_reason
        or (application.case.rejection_reason or "").split("（告知申请人有管辖权的行政复议机关")[0]
    )
    return docs.RefusalDecision(
        number=number(application, "refusal"),
        body=application.body.name,
        applicants=(applicant(application),),
        respondent=respondent(application),
        act=_act(application),
        received_on=_received(application),
        grounds=conditions,
        reasons=reason,
        issued_on=application.case.accepted_on or timezone.localdate(),
        competent_body=competent.name if competent else "",
    )


def reply_notice(application: Application) -> docs.ReplyNotice:
    from fuyuan.core.queries import work_calendar
    from fuyuan.deadlines.rules import compute_due

    sent_on = application.copy_sent_on
    accepted_on = application.case.accepted_on
    assert sent_on is not None and accepted_on is not None
    return docs.ReplyNotice(
        number=number(application, "reply"),
        body=application.body.name,
        respondent=respondent(application),
        applicants=(applicant(application),),
        act=_act(application),
        accepted_on=accepted_on,
        due_on=compute_due(reply_rule(application), sent_on, work_calendar()).due,
        issued_on=sent_on,
        simplified=application.procedure == Procedure.SIMPLIFIED,
        oral=application.channel == "oral",
    )


def hearing_notice(application: Application, hearing: ReconsiderationHearing, to: str) -> docs.HearingNotice:
    addressee = respondent(application) if to == "respondent" else applicant(application)
    return docs.HearingNotice(
        number=number(application, "hearing"),
        body=application.body.name,
        addressee=addressee,
        applicants=(applicant(application),),
        respondent=respondent(application),
        act=_act(application),
        held_at=timezone.localtime(hearing.held_at),
        place=hearing.place,
        matters=tuple(lines(hearing.matters)) or ("本案的事实、证据和法律适用",),
        issued_on=hearing.notice_sent_on or hearing.application.case.accepted_on or timezone.localdate(),
    )


def mediation_statement(application: Application) -> docs.MediationStatement:
    mediation = application.mediations.filter(succeeded=True, kind=MediationKind.MEDIATION).order_by("-id").first()
    assert mediation is not None and mediation.ended_on is not None
    return docs.MediationStatement(
        number=number(application, "mediation"),
        body=application.body.name,
        applicants=(applicant(application),),
        respondent=respondent(application),
        act=_act(application),
        received_on=_received(application),
        request=application.request,
        facts=application.facts_and_reasons or application.contested_act,
        terms=tuple(lines(mediation.terms)) or (mediation.terms,),
        issued_on=mediation.ended_on,
    )


def decision(application: Application) -> docs.Decision:
    """The 决定书 from the decision's three parts: 经审理查明 (the facts found), 本机关认为 (the reasons and the law),
    本机关决定如下 (the 决定内容, one item a line; left empty, the outcome's plain order). A decision entered before the
    parts were stored may have no facts: its reasons stand for them, as the 决定书 then printed."""
    outcome = docs.DecisionOutcome(application.case.outcome)
    orders = tuple(lines(application.decision_content))
    concluded_on = application.case.concluded_on
    assert concluded_on is not None
    return docs.Decision(
        number=number(application, "decision"),
        body=application.body.name,
        applicants=(applicant(application),),
        respondent=respondent(application),
        act=_act(application),
        request=application.request,
        received_on=_received(application),
        applicant_says=application.facts_and_reasons,
        respondent_says=application.reply_text,
        facts=application.decision_facts or application.decision_grounds,
        reasons=application.decision_grounds,
        outcome=outcome,
        issued_on=concluded_on,
        orders=orders,
        simplified=application.procedure == Procedure.SIMPLIFIED,
        no_reply=application.copy_sent_on is not None and (application.reply_late or not application.reply_text),
    )


def opinion(application: Application, item: Opinion) -> docs.Opinion:
    from fuyuan.rectification.models import Item

    corrections = tuple(Item.objects.filter(recommendation=item.recommendation).values_list("text", flat=True))
    return docs.Opinion(
        number=item.number,
        body=application.body.name,
        addressee=item.recipient.name,
        case=f"申请人{application.applicant_name}不服{application.respondent.name}{_act(application)}一案",
        problems=(item.text,),
        corrections=corrections or (item.text,),
        issued_on=item.issued_on,
    )


def _has_decision(application: Application) -> bool:
    return application.stage in (Stage.DECIDED, Stage.SERVED) and application.case.outcome in set(docs.DecisionOutcome)


def available(application: Application) -> list[FileDocument]:
    """The documents that apply to the file as it stands, in the order of the procedure."""
    a = application
    found: list[FileDocument] = []
    if a.correction_requested_on is not None:
        found.append(
            FileDocument("correction", "补正通知书", a.correction_requested_on,
                         lambda: docs.render_correction_notice(correction_notice(a)))
        )  # fmt: skip
    if a.stage == Stage.REJECTED:
        found.append(
            FileDocument("refusal", "不予受理决定书", a.case.accepted_on or _received(a),
                         lambda: docs.render_refusal_decision(refusal_decision(a)))
        )  # fmt: skip
    if a.case.acceptance == Acceptance.ACCEPTED and a.case.accepted_on is not None:
        found.append(
            FileDocument("acceptance", "受理通知书", a.case.accepted_on,
                         lambda: docs.render_acceptance_notice(acceptance_notice(a)))
        )  # fmt: skip
    if a.copy_sent_on is not None:
        found.append(
            FileDocument("reply", "答复通知书", a.copy_sent_on, lambda: docs.render_reply_notice(reply_notice(a)))
        )
    for h in a.hearings.all():
        day = h.notice_sent_on or timezone.localdate()
        if timezone.localtime(h.held_at).date() <= day:
            day = h.notice_sent_on or a.case.accepted_on or day
        for to, who in (("applicant", "申请人"), ("respondent", "被申请人")):
            found.append(
                FileDocument(f"hearing-{h.pk}-{to}", f"听证通知书（{who}，{h.held_at:%Y-%m-%d}）", day,
                             lambda h=h, to=to: docs.render_hearing_notice(hearing_notice(a, h, to)))  # type: ignore[misc]
            )  # fmt: skip
    mediated = [m for m in a.mediations.all() if m.succeeded and m.kind == MediationKind.MEDIATION]
    if mediated and mediated[-1].ended_on is not None:
        found.append(
            FileDocument("mediation", "调解书", mediated[-1].ended_on,
                         lambda: docs.render_mediation_statement(mediation_statement(a)))
        )  # fmt: skip
    if _has_decision(a) and a.case.concluded_on is not None:
        found.append(
            FileDocument("decision", "行政复议决定书", a.case.concluded_on, lambda: docs.render_decision(decision(a)))
        )
    for o in a.opinions.all():
        found.append(
            FileDocument(f"opinion-{o.pk}", f"行政复议意见书（{o.number}）", o.issued_on,
                         lambda o=o: docs.render_opinion(opinion(a, o)))  # type: ignore[misc]
        )  # fmt: skip
    return found


def archive_title(application: Application) -> str:
    return f"{application.applicant_name}不服{application.respondent.name}{_act(application)}行政复议案（{application.receipt_number}）"


def can_archive(application: Application) -> bool:
    """案卷归档 once the file is decided (a decision, a 调解书 or another conclusion) or otherwise closed."""
    return application.is_closed


def build(application: Application) -> bytes:
    """The archive zip: the 卷宗目录, then the materials and the generated documents in date order (on one day the
    materials first: what came in before what the body answered)."""
    dated: list[tuple[datetime.date, int, ArchiveEntry]] = []
    for m in application.materials.all():
        with m.file.open("rb") as f:
            content = f.read()
        day = timezone.localtime(m.uploaded_at).date()
        dated.append((day, 0, ArchiveEntry(f"{m.get_kind_display()}：{PurePath(m.name).stem}", day, m.name, content)))
    for d in available(application):
        dated.append((d.date, 1, ArchiveEntry(d.name, d.date, d.filename, d.render())))
    dated.sort(key=lambda item: (item[0], item[1]))
    return build_archive(archive_title(application), [e for _, _, e in dated], body=application.body.name)
