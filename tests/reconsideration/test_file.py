"""The rest of the file: materials and who may add which, 中止 and 终止 (行政复议法 (2023) 第39、41条), stale edits, the
masked timeline."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from fuyuan.cases.choices import ReconsiderationOutcome
from fuyuan.core.models import User
from fuyuan.core.timeline import timeline
from fuyuan.reconsideration.choices import MaterialKind, Stage
from fuyuan.reconsideration.workflow import (
    ONLINE_APPLICANT,
    ReconsiderationError,
    StaleApplication,
    add_material,
    decide,
    resume,
    suspend,
    update_particulars,
)
from tests.factories import World
from tests.reconsideration.conftest import PHONE, D, accepted, fresh, pdf, receive

pytestmark = pytest.mark.django_db


def test_the_applicant_the_respondent_and_the_body_each_add_their_own_materials(
    world: World, files: Path, clock
) -> None:
    clock(D(2026, 9, 29))
    receipt = receive(world)
    app = receipt.application

    mine = add_material(app, kind=MaterialKind.APPLICATION, upload=pdf("申请书.pdf"), by=ONLINE_APPLICANT,
                        code=receipt.follow_code)  # fmt: skip
    theirs = add_material(app, kind=MaterialKind.EVIDENCE, upload=pdf("证据.pdf"), by=world.users["agency_duyun"])
    with pytest.raises(PermissionDenied):
        add_material(app, kind=MaterialKind.HEARING_RECORD, upload=pdf(), by=world.users["agency_duyun"])
    with pytest.raises(PermissionDenied):
        add_material(app, kind=MaterialKind.APPLICATION, upload=pdf(), by=ONLINE_APPLICANT, code="00000000")
    with pytest.raises(ReconsiderationError, match="不是 PDF"):
        add_material(app, kind=MaterialKind.OTHER, upload=SimpleUploadedFile("x.pdf", b"not a pdf"),
                     by=world.users["recon_pref"])  # fmt: skip

    assert (mine.uploaded_by, mine.uploaded_by_label, theirs.uploaded_by) == (
        None,
        "申请人（网上）",
        world.users["agency_duyun"],
    )
    assert [m.name for m in fresh(app).materials.all()] == ["申请书.pdf", "证据.pdf"]
    assert (files / "reconsideration" / str(app.pk)).is_dir()


def test_a_suspended_case_resumes_or_ends_in_termination(world: World, head: User, clock) -> None:
    staff = world.users["recon_pref"]
    clock(D(2026, 9, 29))
    app = accepted(world)
    with pytest.raises(ReconsiderationError, match="第39条"):
        suspend(app, reason=" ", by=staff)
    suspend(app, reason="申请人死亡，须等待其近亲属表明是否参加", by=staff)
    assert fresh(app).stage == Stage.SUSPENDED
    with pytest.raises(ReconsiderationError, match="恢复审理"):
        decide(app, outcome=ReconsiderationOutcome.UPHELD, facts="经审理查明的事实", grounds="合法", by=head)
    resumed = resume(app, by=staff)
    assert resumed.resumed_on == D(2026, 9, 29)
    suspend(app, reason="再次中止", by=staff)

    decide(
        app,
        outcome=ReconsiderationOutcome.TERMINATED,
        facts="经审理查明的事实",
        grounds="近亲属放弃行政复议权利（第41条）",
        by=head,
    )

    case = fresh(app).case
    assert (case.outcome, case.concluded_on) == (ReconsiderationOutcome.TERMINATED, D(2026, 9, 29))


def test_an_edit_opened_on_an_older_version_is_refused_and_personal_data_stays_off_the_timeline(
    world: World, clock
) -> None:
    staff = world.users["recon_pref"]
    clock(D(2026, 9, 29))
    app = receive(world).application
    opened = app.version
    update_particulars(app, {"applicant_phone": "13800000000"}, by=staff, expected_version=opened)

    with pytest.raises(StaleApplication):
        update_particulars(app, {"agent": "李律师"}, by=staff, expected_version=opened)

    app = fresh(app)
    assert app.applicant_phone == "13800000000"
    changes = list(timeline(app))[-1].changes
    assert changes == {"申请人联系电话": ["（已修改）", "（已修改）"]}
    assert PHONE not in str(changes) and "13800000000" not in str(changes)
