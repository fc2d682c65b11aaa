"""Masking personal data (ID numbers, phones) in lists and pages for roles that do not need it whole."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


def mask_phone(phone: str) -> str:
    """139****1234 (nothing for no number; **** for a number too short to keep both ends)."""
    phone = phone.strip()
    if not phone:
        return ""
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 8 else "****"


def mask_email(address: str) -> str:
    """z***@example.com: enough to tell two addresses apart, not enough to write to."""
    local, at, domain = address.strip().partition("@")
    if not at:
        return "****" if local else ""
    return f"{local[:1]}***@{domain}"


def mask_id_number(number: str) -> str:
    """5201**********1234."""
    number = number.strip()
    if not number:
        return ""
    return f"{number[:4]}{'*' * (len(number) - 8)}{number[-4:]}" if len(number) > 8 else "****"


# ---------------------------------------------------------------------------------------------------------------
# Who may see a value whole (个人信息保护法 第6条 最小必要: only a role whose work needs the whole number; 第28条:
# an ID number is sensitive personal information; GB/T 22239-2019 8.1.4.11 b) 应禁止未授权访问和非法使用个人信息).
# Pages and exports always show the masked value; the whole value is only given by the 「查看完整号码」 action
# (``fuyuan.core.personal_data_views.reveal``), one value at a time, each reveal written to the audit log.


@dataclass(frozen=True)
class Revealable:
    """One personal-data field that some role may reveal: where it is, how it is masked, and who needs it."""

    model: str
    field: str
    label: str
    mask: Callable[[str], str]
    who: str
    may_reveal: Callable[[Any, Any], bool]


def _centre_handles_dispute(user: Any, dispute: Any) -> bool:
    """The staff of the centre that handles the dispute: they call the applicant and check identity at intake."""
    from fuyuan.disputes.queries import can_manage

    return bool(can_manage(user, dispute))


def _may_call_designee(user: Any, hearing: Any) -> bool:
    """The agency's liaison (who designated the head) and the 依法治办 over the agency's region (who escalates a
    missing appearance, 一直达, and may have to call the head)."""
    from fuyuan.core.models import Role
    from fuyuan.hearings.queries import visible_to

    if not user.is_authenticated:
        return False
    if user.role == Role.AGENCY_LIAISON:
        return bool(user.organisation_id == hearing.agency_id)
    if user.role == Role.RULE_OF_LAW_OFFICE:
        return visible_to(user).filter(pk=hearing.pk).exists()
    return False


# The one table of unmasking rights. Everyone not named here sees only the masked value.
REVEALABLE: dict[str, Revealable] = {
    r.model.rsplit(".", 1)[1].lower() + "." + r.field: r
    for r in (
        Revealable(
            "disputes.Dispute", "applicant_phone", "申请人联系电话", mask_phone,
            "承办该争议的协调化解中心工作人员", _centre_handles_dispute,
        ),
        Revealable(
            "disputes.Dispute", "applicant_id_number", "申请人身份证号", mask_id_number,
            "承办该争议的协调化解中心工作人员", _centre_handles_dispute,
        ),
        Revealable(
            "hearings.Hearing", "designee_phone", "出庭负责人手机", mask_phone,
            "被告机关的机关联络员；所辖地区的依法治办", _may_call_designee,
        ),
    )
}  # fmt: skip


@dataclass(frozen=True)
class Shown:
    """A personal-data value as a page shows it: masked, with whether this user may reveal it."""

    key: str
    pk: int
    masked: str
    can_reveal: bool

    @property
    def element_id(self) -> str:
        return f"pd-{self.key.replace('.', '-')}-{self.pk}"


def shown(user: Any, obj: Any, field: str) -> Shown:
    """How ``obj.field`` appears to ``user`` on a page: always masked; revealable per ``REVEALABLE``."""
    key = f"{obj._meta.model_name}.{field}"
    rule = REVEALABLE[key]
    value = getattr(obj, field) or ""
    return Shown(key, obj.pk, rule.mask(value), bool(value) and rule.may_reveal(user, obj))
