"""The attendance rule: how many sessions a unit attends a year, and where that number comes from (a setting, so a
deployment under another locality's rule sets its own)."""

from __future__ import annotations

from django.conf import settings


def min_sessions() -> int:
    """黔西南州《建立国家工作人员旁听案件庭审学法用法机制的意见》: 各级各部门单位组织国家工作人员旁听庭审每年不少于2次
    (``FUYUAN_ATTENDANCE_MIN_SESSIONS``)."""
    return int(settings.FUYUAN_ATTENDANCE_MIN_SESSIONS)


def rule_source() -> str:
    return str(settings.FUYUAN_ATTENDANCE_RULE_SOURCE)
