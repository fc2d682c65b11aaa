"""A dispute mediated through the whole procedure (``disputes.workflow``), the way the centre would reach the
调解协议书: registered, accepted, a 专班 formed (a member first, the lead later, one who left), reviewed, planned,
concluded as 调解成功 on 2026-12-01."""

import datetime
import io
from collections.abc import Callable
from typing import Protocol

import docx
import pytest
from django.utils import timezone
from docx.document import Document

from fuyuan.core.models import HeadPost
from fuyuan.disputes.choices import AssignmentRole
from fuyuan.disputes.models import Dispute
from fuyuan.disputes.workflow import (
    Choice,
    accept_dispute,
    assign_coordinators,
    conclude_mediated,
    record_plan,
    record_review,
    release_coordinator,
)
from tests.disputes.consent import WRITTEN
from tests.factories import World, make_coordinator, make_dispute, make_head

D = datetime.date
CONCLUDED_ON = D(2026, 12, 1)
TERMS = (
    "1.被申请人于2026年12月31日前退还申请人罚款1.5万元；\n"
    "2.申请人于收到退款之日起五日内撤回行政复议申请，\n"
    "并不再就同一事项申请复议或提起诉讼；\n"
    "3、双方就本争议再无其他争议。"
)
CLAUSES = [
    "被申请人于2026年12月31日前退还申请人罚款1.5万元。",
    "申请人于收到退款之日起五日内撤回行政复议申请，并不再就同一事项申请复议或提起诉讼。",
    "双方就本争议再无其他争议。",
]


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class Mediate(Protocol):
    def __call__(self, *, judicial_confirmation: bool = False, terms: str = TERMS) -> Dispute: ...


@pytest.fixture
def mediate(world: World, clock: Callable[[datetime.datetime], None]) -> Mediate:
    agency = world.orgs["都匀自然资源局"]
    # On the roster besides the current principal 王局长 (from build_world): a former principal and a deputy.
    make_head(agency, "李前局长", valid_from=D(2016, 1, 1), valid_to=D(2025, 6, 30))
    make_head(agency, "赵副局长", post=HeadPost.DEPUTY)
    staff = world.users["centre_duyun"]
    lead = make_coordinator("林专家", org=world.orgs["州司法局"], domains=["forestry"], user=world.users["coordinator"])
    member = make_coordinator("李律师", org=world.orgs["都匀司法局"])
    leaver = make_coordinator("孙退出", org=world.orgs["都匀司法局"])

    def build(*, judicial_confirmation: bool = False, terms: str = TERMS) -> Dispute:
        clock(at(D(2026, 11, 2)))
        dispute = make_dispute(
            world.orgs["都匀中心"],
            agency=agency,
            by=staff,
            received_on=D(2026, 11, 2),
            applicants="张三、李四",
            applicant_id_number="522701199001011234",
            applicant_phone="13912341234",
            applicant_address="贵州省都匀市剑江中路1号",
            matter="不服都匀市自然资源局作出的罚款决定",
            claims="撤销罚款决定，退还已缴罚款",
        )
        dispute = accept_dispute(dispute, consent=WRITTEN, by=staff)
        dispute = assign_coordinators(dispute, [Choice(member), Choice(leaver)], by=staff)
        dispute = assign_coordinators(dispute, [Choice(lead, AssignmentRole.LEAD)], by=staff)
        release_coordinator(dispute.assignments.get(coordinator=leaver), by=staff)
        clock(at(D(2026, 11, 4)))
        dispute = record_review(dispute, opinion="罚款数额适用裁量基准有误", by=world.users["coordinator"])
        dispute = record_plan(dispute, plan="退还部分罚款，申请人撤回复议", by=world.users["coordinator"])
        clock(at(CONCLUDED_ON))
        return conclude_mediated(dispute, terms=terms, judicial_confirmation=judicial_confirmation, by=staff)

    return build


def read_docx(content: bytes) -> Document:
    return docx.Document(io.BytesIO(content))


def texts(document: Document) -> list[str]:
    """The document's non-empty paragraphs, as a reader sees them."""
    return [p.text for p in document.paragraphs if p.text.strip()]
