"""Each step's own documents (issue 16): uploaded by who did the step, checked as every upload is
(``core.uploads``), listed on the decision's page and put in the archive file and its 卷宗目录."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import docx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from fuyuan.decisions import workflow as wf
from fuyuan.decisions.choices import Stage
from fuyuan.decisions.models import Decision, StepDocument
from tests.decisions.conftest import D, run_to
from tests.factories import PASSWORD, World

PDF = b"%PDF-1.4\n1 0 obj<</Type/Page>>endobj\n%%EOF\n"


def test_an_uploaded_document_is_in_the_archive_and_its_catalogue(
    world: World, clock: Any, decision: Decision, justice: Any, expert: Any, settings: Any, tmp_path: Any
) -> None:
    settings.DATA_DIR = tmp_path
    office = world.users["rol_duyun"]
    decision = run_to(Stage.EXECUTING, decision, world, clock, justice, expert)
    client = Client()
    client.login(username="rol_duyun", password=PASSWORD)
    # the office uploads the meeting's minutes from the decision's page
    response = client.post(
        reverse("decisions:upload", args=[decision.pk]),
        {"step": "discussion", "title": "市政府常务会议纪要", "file": SimpleUploadedFile("纪要.pdf", PDF)},
    )
    assert response.status_code == 302
    page = client.get(reverse("decisions:detail", args=[decision.pk])).content.decode()
    assert "市政府常务会议纪要" in page and 'data-testid="document"' in page

    content = wf.archive_decision(decision, by=office)

    archive = zipfile.ZipFile(io.BytesIO(content))
    names = archive.namelist()
    uploaded = [n for n in names if "市政府常务会议纪要" in n]
    assert uploaded == ["09-市政府常务会议纪要（上传件）.pdf"]  # right after the meeting's own record
    assert archive.read(uploaded[0]) == PDF
    catalogue = docx.Document(io.BytesIO(archive.read(names[0])))
    rows = [[c.text for c in row.cells] for row in catalogue.tables[0].rows]
    assert rows[9][1] == "市政府常务会议纪要（上传件）" and rows[9][4] == uploaded[0]
    assert rows[8][1] == "集体讨论决定记录"


def test_a_wrong_file_or_a_wrong_uploader_is_refused_and_nothing_is_written(
    world: World, clock: Any, decision: Decision, settings: Any, tmp_path: Any
) -> None:
    settings.DATA_DIR = tmp_path
    clock(D(2026, 8, 3))
    owner = world.users["agency_duyun"]
    fake = SimpleUploadedFile("说明.pdf", b"not a pdf at all")
    try:
        wf.attach_step_document(decision, step="public", title="起草说明", upload=fake, by=owner)
    except wf.DecisionError as error:
        assert "不是 PDF" in str(error)
    else:
        raise AssertionError("a false PDF was accepted")
    client = Client()
    client.login(username="agency_duyun", password=PASSWORD)
    client.post(
        reverse("decisions:upload", args=[decision.pk]),
        {"step": "discussion", "title": "会议纪要", "file": SimpleUploadedFile("a.pdf", PDF)},
    )  # the 承办单位 does not hold the meeting
    assert not StepDocument.objects.exists()
    wf.attach_step_document(
        decision, step="public", title="起草说明", upload=SimpleUploadedFile("起草说明.pdf", PDF), by=owner
    )
    assert StepDocument.objects.get().get_step_display() == "公众参与"
