"""The file's documents (``reconsideration.filing``): numbers derived from the receipt number, which documents apply
in each state, each rendered from the file and opened by python-docx, and the archive of a closed file."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import docx
import pytest

from fuyuan.core.models import User
from fuyuan.reconsideration import filing
from fuyuan.reconsideration.workflow import (
    add_material,
    decide,
    issue_opinion,
    record_reply,
    reject,
    request_correction,
    send_copy_to_respondent,
)
from tests.factories import World
from tests.reconsideration.conftest import ID_NUMBER, D, accepted, fresh, pdf, receive

pytestmark = pytest.mark.django_db


def keys(app: Any) -> list[str]:
    return [d.key for d in filing.available(fresh(app))]


def text_of(content: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


def test_a_documents_number_is_derived_from_the_receipt_number(world: World) -> None:
    app = receive(world).application
    assert app.receipt_number == "黔南州复申〔2026〕000001号"
    assert filing.number(app, "acceptance") == "黔南州复受字〔2026〕1号"
    assert filing.number(app, "refusal") == "黔南州复不受字〔2026〕1号"
    assert filing.number(app, "decision") == "黔南州复决字〔2026〕1号"


def test_a_received_file_has_no_document_yet(world: World) -> None:
    assert keys(receive(world).application) == []


def test_the_correction_notice_lists_every_item_and_its_due_date(world: World, clock) -> None:
    clock(D(2026, 9, 29))
    app = receive(world).application
    request_correction(app, items=["身份证复印件", "处罚决定书"], by=world.users["recon_pref"])
    assert keys(app) == ["correction"]
    text = text_of(filing.available(fresh(app))[0].render())
    # 第31条第2款: 10 working days from 29 September (30 Sep, 8, 9, 10, 12 … 19 October).
    assert "身份证复印件" in text and "处罚决定书" in text and "2026年10月19日" in text


def test_a_rejected_file_has_its_refusal_decision_naming_the_competent_body(world: World) -> None:
    app = receive(world).application
    reject(
        app,
        grounds=["not_competent"],
        reason="不属于本机关管辖",
        competent_body=world.orgs["都匀司法局"],
        by=world.users["recon_pref"],
    )
    assert keys(app) == ["refusal"]
    text = text_of(filing.available(fresh(app))[0].render())
    assert "都匀市司法局" in text and "不属于本机关管辖" in text


def test_an_accepted_file_has_its_acceptance_and_reply_notices(world: World) -> None:
    app = accepted(world)
    assert keys(app) == ["acceptance"]
    send_copy_to_respondent(app, by=world.users["recon_pref"])
    assert keys(app) == ["acceptance", "reply"]
    for document in filing.available(fresh(app)):
        assert "都匀市自然资源局" in text_of(document.render())


def test_the_decision_carries_the_facts_and_reasons_apart_and_the_applicants_particulars(
    world: World, head: User
) -> None:
    app = accepted(world)
    send_copy_to_respondent(app, by=world.users["recon_pref"])
    record_reply(app, text="事实清楚", by=world.users["agency_duyun"])
    decide(app, outcome="revoked", facts="未经听证", grounds="违反法定程序", by=head)
    decision = filing.decision(fresh(app))
    assert (decision.facts, decision.reasons) == ("未经听证", "违反法定程序")
    assert decision.respondent_says == "事实清楚" and not decision.no_reply
    text = text_of(filing.available(fresh(app))[-1].render())
    assert "撤销被申请人" in text and ID_NUMBER in text  # as served on the parties (not the published text)


def test_an_unanswered_decision_cites_article_70(world: World, head: User) -> None:
    app = accepted(world)
    send_copy_to_respondent(app, by=world.users["recon_pref"])
    decide(app, outcome="revoked", facts="经审理查明的事实", grounds="被申请人未答复", by=head)
    assert filing.decision(fresh(app)).no_reply
    assert "第七十条" in text_of(filing.available(fresh(app))[-1].render())


def test_a_terminated_file_has_no_decision_document(world: World, head: User) -> None:
    app = accepted(world)
    decide(app, outcome="terminated", facts="经审理查明的事实", grounds="申请人死亡，无近亲属参加", by=head)
    assert "decision" not in keys(app)


def test_the_opinion_lists_the_corrections_of_its_rectification_items(world: World, head: User, files: Any) -> None:
    app = accepted(world)
    issue_opinion(
        app, number="黔南州复意字〔2026〕1号", text="处罚程序不规范", items=["规范听证告知", "开展执法培训"],
        document=pdf("意见书.pdf"), by=head,
    )  # fmt: skip
    opinion = [d for d in filing.available(fresh(app)) if d.key.startswith("opinion-")]
    assert len(opinion) == 1
    text = text_of(opinion[0].render())
    assert "规范听证告知" in text and "开展执法培训" in text and "处罚程序不规范" in text


def test_the_archive_has_the_catalogue_the_documents_and_the_materials(world: World, head: User, files: Any) -> None:
    app = accepted(world)
    add_material(app, kind="application", upload=pdf("申请书.pdf"), by=world.users["recon_pref"])
    decide(app, outcome="upheld", facts="经审理查明的事实", grounds="事实清楚", by=head)
    assert filing.can_archive(fresh(app))
    archive = zipfile.ZipFile(io.BytesIO(filing.build(fresh(app))))
    names = archive.namelist()
    assert names[0].endswith("卷宗目录.docx")
    # All on one day: the material first, then the documents in the order of the procedure.
    assert [n.split("-", 1)[1] for n in names[1:]] == ["申请材料：申请书.pdf", "受理通知书.docx", "行政复议决定书.docx"]
    catalogue = docx.Document(io.BytesIO(archive.read(names[0])))
    cells = [c.text for t in catalogue.tables for row in t.rows for c in row.cells]
    assert any("行政复议决定书" in c for c in cells) and any("申请书" in c for c in cells)


def test_an_open_file_is_not_archived(world: World) -> None:
    assert not filing.can_archive(accepted(world))
