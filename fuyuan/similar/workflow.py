"""Changes 类案检索 makes: attaching an uploaded judgment to a case (its text extracted and kept)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from fuyuan.cases.models import Case
from fuyuan.cases.queries import can_edit
from fuyuan.core.models import Role, User
from fuyuan.core.timeline import record_event
from fuyuan.similar import index
from fuyuan.similar.extract import extract_text
from fuyuan.similar.models import Judgment


def may_upload_judgment(user: User, case: Case) -> bool:
    """Who may attach a judgment: whoever may edit the case (依法治办, its court, its body) and the defendant agency's
    liaison, who receives the judgment too."""
    if can_edit(user, case):
        return True
    return user.role == Role.AGENCY_LIAISON and user.organisation_id == case.defendant_id


@transaction.atomic
def upload_judgment(case: Case, filename: str, content: bytes, *, by: User) -> Judgment:
    """Extract the judgment's text (``UnreadableJudgment`` if it cannot be read: nothing written), keep it with the
    case, write the Event on the case's timeline, and bring the case's searchable text up to date by name."""
    if not may_upload_judgment(by, case):
        raise PermissionDenied("您无权为此案件上传裁判文书")
    file_format, text = extract_text(filename, content)
    judgment = Judgment.objects.create(
        case=case,
        filename=filename[:255],
        file_format=file_format,
        text=text,
        uploaded_by=by,
        uploaded_at=timezone.now(),
    )
    record_event(
        case, by=by, action="judgment_uploaded", summary=f"上传裁判文书：{judgment.filename}（{len(text)} 字）"
    )
    index.reindex_cases([case.pk])
    return judgment
