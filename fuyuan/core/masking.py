"""Masking personal data (ID numbers, phones) in lists and pages for roles that do not need it whole."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.module_loading import import_string


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


_ID_NUMBER = re.compile(r"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9])")
_MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


def mask_personal_text(text: str) -> str:
    """Free text (a 案情摘要, a judgment's text) with every 居民身份证号码 and mobile number in it masked
    (个人信息保护法 第51条): what lists, pages, exports and the API show of texts people typed or uploaded."""
    text = _ID_NUMBER.sub(lambda m: mask_id_number(m.group()), text)
    return _MOBILE.sub(lambda m: mask_phone(m.group()), text)


# ---------------------------------------------------------------------------------------------------------------
# Who may see a value whole (个人信息保护法 第6条 最小必要: only a role whose work needs the whole number; 第28条:
# an ID number is sensitive personal information; GB/T 22239-2019 8.1.4.11 b) 应禁止未授权访问和非法使用个人信息).
# Pages and exports always show the masked value; the whole value is only given by the 「查看完整号码」 action
# (``fuyuan.core.personal_data_views.reveal``), one value at a time, each reveal written to the audit log.


@dataclass(frozen=True)
class Revealable:
    """One personal-data field that some role may reveal: where it is, how it is masked, who needs it, and the
    owning app's two functions, named by dotted path so that ``core`` imports no domain app: ``scope`` is its
    ``visible_to(user)`` (the records the user may open at all) and ``rule`` says whether the user may see the
    value whole (``rule(user, record)``)."""

    model: str
    field: str
    label: str
    mask: Callable[[str], str]
    who: str
    rule: str
    scope: str

    def may_reveal(self, user: Any, obj: Any) -> bool:
        return bool(import_string(self.rule)(user, obj))

    def visible_to(self, user: Any) -> QuerySet[Any]:
        """The records of this field's model that ``user`` may open: a reveal loads its record from here only."""
        queryset: QuerySet[Any] = import_string(self.scope)(user)
        return queryset


# The one table of unmasking rights. Everyone not named here sees only the masked value.
REVEALABLE: dict[str, Revealable] = {
    r.model.rsplit(".", 1)[1].lower() + "." + r.field: r
    for r in (
        Revealable(
            "disputes.Dispute", "applicant_phone", "申请人联系电话", mask_phone,
            "承办该争议的协调化解中心工作人员",
            "fuyuan.disputes.queries.can_manage", "fuyuan.disputes.queries.visible_to",
        ),
        Revealable(
            "disputes.Dispute", "applicant_id_number", "申请人身份证号", mask_id_number,
            "承办该争议的协调化解中心工作人员",
            "fuyuan.disputes.queries.can_manage", "fuyuan.disputes.queries.visible_to",
        ),
        Revealable(
            "reconsideration.Application", "applicant_phone", "复议申请人联系电话", mask_phone,
            "承办该案的行政复议机构工作人员",
            "fuyuan.reconsideration.queries.may_reveal", "fuyuan.reconsideration.queries.visible_to",
        ),
        Revealable(
            "reconsideration.Application", "applicant_id_number", "复议申请人身份证号", mask_id_number,
            "承办该案的行政复议机构工作人员",
            "fuyuan.reconsideration.queries.may_reveal", "fuyuan.reconsideration.queries.visible_to",
        ),
        Revealable(
            "nonlitigation.EnforcementFile", "party_id_number", "被执行人身份证号/统一社会信用代码", mask_id_number,
            "申请执行的行政机关联络员；受理申请的法院联络员",
            "fuyuan.nonlitigation.queries.may_reveal", "fuyuan.nonlitigation.queries.visible_to",
        ),
        Revealable(
            "hearings.Hearing", "designee_phone", "出庭负责人手机", mask_phone,
            "被告机关的机关联络员；所辖地区的依法治办",
            "fuyuan.hearings.queries.may_call_designee", "fuyuan.hearings.queries.visible_to",
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
