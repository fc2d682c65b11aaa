"""The case page's 败诉风险提示 panel, as a tag of this app, so that the case page needs one line and no view change."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from fuyuan.cases.choices import CaseKind
from fuyuan.cases.models import Case
from fuyuan.consultation.choices import NoticeState
from fuyuan.consultation.queries import notices_of_case
from fuyuan.consultation.workflow import can_answer, can_send

register = template.Library()


@register.inclusion_tag("consultation/_panel.html", takes_context=True)
def risk_panel(context: template.Context, case: Case) -> dict[str, Any]:
    """On a litigation case: the notices the user sees (two queries), the send button for the court's liaison and
    the answer button for the agency's. Nothing for those who see no notice and may send none."""
    user = context["user"]
    if case.kind != CaseKind.LITIGATION:
        return {"show": False}
    notices = list(notices_of_case(user, case.pk))
    # One notice awaits its answer at a time (``send_notice``): no button while one does.
    sendable = can_send(user, case) and not any(n.state == NoticeState.SENT for n in notices)
    return {
        "show": bool(notices) or sendable,
        "case": case,
        "notices": notices,
        "can_send": sendable,
        "answerable": {n.pk for n in notices if can_answer(user, n)},
        "today": timezone.localdate(),
    }
