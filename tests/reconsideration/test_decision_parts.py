"""The decision in its three parts (认定的事实、理由和依据、决定内容) of the 行政复议决定书 (行政复议法 (2023) 第75条), printed under their
headings in the 行政复议决定书, shown on the file, and the migration of decisions stored in one text."""

from __future__ import annotations

import io

import docx
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from fuyuan.cases.choices import ReconsiderationOutcome
from fuyuan.cases.models import Case
from fuyuan.core.models import User
from fuyuan.reconsideration.models import Application
from fuyuan.reconsideration.workflow import ReconsiderationError, decide, end_mediation, start_mediation
from tests.factories import World
from tests.reconsideration.conftest import D, accepted, events_of, fresh

pytestmark = pytest.mark.django_db

FACTS = "被申请人于2026年8月20日作出处罚决定，作出前未告知申请人陈述、申辩的权利。"
GROUNDS = "被申请人作出行政处罚违反法定程序，依据《中华人民共和国行政处罚法》第四十四条，应予变更。"
CONTENT = "变更被申请人作出的都自然资罚〔2026〕8号行政处罚决定，罚款二万元变更为警告。"


def _text(content: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


def test_the_three_parts_are_stored_and_printed_under_their_headings(world: World, head: User, clock) -> None:
    clock(D(2026, 9, 29))
    app = accepted(world)
    clock(D(2026, 10, 20))

    app = decide(app, outcome=ReconsiderationOutcome.VARIED, facts=FACTS, grounds=GROUNDS, content=CONTENT, by=head)

    app = fresh(app)
    assert (app.decision_facts, app.decision_grounds, app.decision_content) == (FACTS, GROUNDS, CONTENT)
    client = Client()
    client.force_login(world.users["recon_pref"])
    lines = _text(client.get(reverse("reconsideration:document", args=[app.pk, "decision"])).content).splitlines()
    facts_at = lines.index(f"经审理查明：{FACTS}")
    grounds_at = lines.index(f"本机关认为：{GROUNDS}")
    decided_at = next(i for i, line in enumerate(lines) if line.endswith("本机关决定如下："))
    assert facts_at < grounds_at < decided_at and lines[decided_at + 1] == CONTENT
    page = client.get(reverse("reconsideration:detail", args=[app.pk])).content.decode()
    for label, text in (("认定的事实", FACTS), ("理由和依据", GROUNDS), ("决定内容", CONTENT)):
        assert f'<dt class="col-sm-3">{label}</dt>' in page and text in page


def test_a_plain_outcome_writes_its_order_when_no_content_is_given(world: World, head: User, clock) -> None:
    clock(D(2026, 9, 29))
    app = decide(accepted(world), outcome=ReconsiderationOutcome.REVOKED, facts=FACTS, grounds="违反法定程序", by=head)
    client = Client()
    client.force_login(world.users["recon_pref"])

    text = _text(client.get(reverse("reconsideration:document", args=[app.pk, "decision"])).content)

    assert "撤销被申请人作出的都自然资罚〔2026〕8号行政处罚决定。" in text.splitlines()


def test_a_part_missing_is_refused_naming_it(world: World, head: User, clock) -> None:
    clock(D(2026, 9, 29))
    app = accepted(world)
    with pytest.raises(ReconsiderationError, match=r"^请填写决定书的认定的事实$"):
        decide(app, outcome=ReconsiderationOutcome.UPHELD, grounds="合法", by=head)
    with pytest.raises(ReconsiderationError, match="请填写决定书的决定内容"):
        decide(app, outcome=ReconsiderationOutcome.ORDERED_TO_PERFORM, facts=FACTS, grounds="未履行", by=head)
    with pytest.raises(ReconsiderationError, match="理由和依据"):
        decide(app, outcome=ReconsiderationOutcome.UPHELD, facts=FACTS, grounds=" ", by=head)
    assert "decided" not in events_of(app)

    app = decide(app, outcome=ReconsiderationOutcome.TERMINATED, grounds="申请人撤回申请（第41条）", by=head)

    assert fresh(app).decision_facts == ""


def test_a_mediation_keeps_its_terms_as_the_decision_content(world: World, clock) -> None:
    staff = world.users["recon_pref"]
    clock(D(2026, 9, 29))
    mediation = start_mediation(accepted(world), kind="mediation", mediator="调解和解委员会", by=staff)

    end_mediation(mediation, succeeded=True, terms="被申请人撤回处罚决定", by=staff)

    assert fresh(mediation.application).decision_content == "被申请人撤回处罚决定"


def test_the_head_decides_on_the_page_with_the_three_parts(world: World, head: User, clock) -> None:
    clock(D(2026, 9, 29))
    app = accepted(world)
    client = Client()
    client.force_login(head)
    url = reverse("reconsideration:act", args=[app.pk, "decide"])

    refused = client.post(url, {"decide-outcome": "varied", "decide-facts": FACTS, "decide-grounds": GROUNDS})
    assert refused.status_code == 200 and "请填写决定书的决定内容" in refused.content.decode()
    values = {"decide-outcome": "varied", "decide-facts": FACTS, "decide-grounds": GROUNDS, "decide-content": CONTENT}
    assert client.post(url, values).status_code == 302

    assert fresh(app).decision_content == CONTENT


# --- The migration -----------------------------------------------------------------------------------------------

BEFORE = [("reconsideration", "0001_initial")]
AFTER = [("reconsideration", "0002_decision_parts_rejection_grounds_non_performance")]


def _migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_the_migration_splits_stored_decisions_and_keeps_a_refusals_reasons(world: World, head: User, clock) -> None:
    from fuyuan.reconsideration.workflow import reject
    from tests.reconsideration.conftest import receive

    clock(D(2026, 9, 29))
    marked = decide(accepted(world), outcome="revoked", facts="x", grounds="x", by=head)
    ordered = decide(accepted(world), outcome="ordered_to_perform", facts="x", grounds="x", content="x", by=head)
    plain = decide(accepted(world), outcome="upheld", facts="x", grounds="x", by=head)
    mediation = start_mediation(accepted(world), kind="mediation", mediator="委员会", by=world.users["recon_pref"])
    end_mediation(mediation, succeeded=True, terms="调解协议", by=world.users["recon_pref"])
    refused = reject(
        receive(world).application,
        grounds=["not_competent"],
        reason="不属于本机关管辖",
        competent_body=world.orgs["都匀司法局"],
        by=world.users["recon_pref"],
    )
    executor = _migrate(BEFORE)
    try:
        Old = executor.loader.project_state(BEFORE[0]).apps.get_model("reconsideration", "Application")
        stored = {
            marked.pk: "经审理查明：未经听证\n本机关认为：违反法定程序",
            ordered.pk: "经审理查明：未履行\n本机关认为：应当履行\n责令被申请人于三十日内作出答复",
            plain.pk: "事实清楚，证据确凿",
        }
        for pk, text in stored.items():
            Old.objects.filter(pk=pk).update(decision_reasons=text)
        # Before the grounds were stored the case carried the reasons and the competent body's sentence.
        Case.objects.filter(pk=refused.case_id).update(
            rejection_reason="该行为系州级机关作出（告知申请人有管辖权的行政复议机关：都匀市司法局）"
        )

        _migrate(AFTER)
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())

    def parts(pk: int) -> tuple[str, str, str]:
        a = Application.objects.get(pk=pk)
        return a.decision_facts, a.decision_grounds, a.decision_content

    assert parts(marked.pk) == ("未经听证", "违反法定程序", "")
    assert parts(ordered.pk) == ("未履行", "应当履行\n责令被申请人于三十日内作出答复", "责令被申请人于三十日内作出答复")
    assert parts(plain.pk) == ("", "事实清楚，证据确凿", "")
    assert parts(mediation.application_id) == ("", "", "调解协议")
    after = Application.objects.get(pk=refused.pk)
    assert (after.rejection_grounds, after.rejection_reason) == (
        ["not_competent"],
        "该行为系州级机关作出",
    )
