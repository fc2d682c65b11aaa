"""What the API accepts and returns. Input is parsed the way the ledger import parses a row (``cases.ledger``):
the same date formats and the same Chinese labels for 审级, 案由, 领域, 受理情况 and 结案方式 (SPEC §9), so that a
system pushing a case and a ledger importing it mean the same thing. Output masks personal data
(``core.masking``; 个人信息保护法 第51条)."""

from __future__ import annotations

import datetime
import re
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from fuyuan.cases.choices import (
    Acceptance,
    ActType,
    CaseKind,
    Domain,
    Instance,
    LitigationOutcome,
    ReconsiderationOutcome,
    outcome_choices,
)
from fuyuan.cases.ledger import LITIGATION_COLUMNS, RECONSIDERATION_COLUMNS, CellError, Column, parse_date
from fuyuan.cases.models import Case
from fuyuan.core.masking import mask_personal_text, mask_phone
from fuyuan.hearings.models import Hearing
from fuyuan.stats.figures import GROUPINGS

_SURROGATE = re.compile(r"[\ud800-\udfff]")


class Text(serializers.CharField):
    """A CharField that refuses text a database cannot store (NUL is refused by DRF already; lone surrogates)."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            # JSON strings only: a number sent as 案号 is a mistake of the sender, not a 案号.
            self.fail("invalid")
        value = super().to_internal_value(data)
        if _SURROGATE.search(value):
            raise serializers.ValidationError("含有无法识别的字符")
        return value


@extend_schema_field(OpenApiTypes.DATE)
class LedgerDate(serializers.Field):
    """A date as the ledger accepts it: 2021-03-05, 2021/3/5, 2021.3.5 or 2021年3月5日 (SPEC §9)."""

    def to_internal_value(self, data: Any) -> datetime.date | None:
        if not isinstance(data, str):
            raise serializers.ValidationError("日期应为文本，如 2021-03-05")
        if _SURROGATE.search(data) or "\x00" in data:
            raise serializers.ValidationError("含有无法识别的字符")
        try:
            day = parse_date(data)
        except CellError as exc:
            raise serializers.ValidationError(str(exc)) from None
        if day is not None and not (1900 <= day.year <= 2999):
            raise serializers.ValidationError(f"日期“{data}”不在合理范围内")
        return day

    def to_representation(self, value: datetime.date) -> str:
        return value.isoformat()


class Moment(serializers.DateTimeField):
    """An ISO 8601 date and time within years 1900–2999 (a time near year 1 or 9999 cannot be moved between time
    zones, which would otherwise end in a server error)."""

    def to_internal_value(self, value: Any) -> datetime.datetime:
        try:
            moment = super().to_internal_value(value)
        except OverflowError:
            raise serializers.ValidationError("时间超出范围") from None
        if not (1900 <= moment.year <= 2999):
            raise serializers.ValidationError("时间超出范围（1900–2999 年）")
        return moment


def _column(field: str, kind: str = CaseKind.LITIGATION) -> Column:
    columns = LITIGATION_COLUMNS if kind == CaseKind.LITIGATION else RECONSIDERATION_COLUMNS
    return next(c for c in columns if c.field == field)


class Label(serializers.ChoiceField):
    """One of a choice list's Chinese labels, turned into its stored value by the ledger's own parser."""

    def __init__(self, column: Column, labels: list[str], **kwargs: Any) -> None:
        self.column = column
        kwargs.setdefault("allow_blank", True)
        super().__init__(choices=labels, **kwargs)
        self.error_messages["invalid_choice"] = f"未知的{column.header}“{{input}}”（可填：{'、'.join(labels)}）"

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        try:
            return str(self.column.parse(data))
        except CellError as exc:
            raise serializers.ValidationError(str(exc)) from None


def labels(choices: Any) -> list[str]:
    return [str(label) for _, label in choices.choices]


OUTCOME_LABELS = list(dict.fromkeys([*labels(LitigationOutcome), *labels(ReconsiderationOutcome)]))


def outcome_value(kind: str, label: str) -> str:
    """The stored value of a 结案方式 label for a case of ``kind``; ValidationError naming the allowed labels."""
    if not label:
        return ""
    try:
        return str(_column("outcome", kind).parse(label))
    except CellError as exc:
        raise serializers.ValidationError({"outcome": [str(exc)]}) from None


# --- Input -----------------------------------------------------------------------------------------------------

# The 案号 the schema shows as an example: neutral, as the schema is the deployment's, not a court's of the seeds.
EXAMPLE_NUMBER = "（2026）×××行初15号"


class CaseIn(serializers.Serializer):
    """A case pushed by an external system; identified by 案号. On update only the fields sent are changed."""

    number = Text(max_length=100, help_text=f"案号，如{EXAMPLE_NUMBER}；同一案号重复推送只更新不重复登记")
    kind = serializers.ChoiceField(
        choices=CaseKind.values, help_text="案件类别：litigation（行政诉讼）或 reconsideration（行政复议）"
    )
    forum = Text(
        max_length=200,
        required=False,
        help_text="法院或复议机构名称；法院、复议机构系统可不填（固定为本单位），依法治办系统必填",
    )
    defendant = Text(
        max_length=200, required=False, help_text="被告/被申请人单位名称（须为已登记的行政机关），新案件必填"
    )
    instance = Label(
        _column("instance"), labels(Instance), required=False, help_text="审级：一审、二审、再审（诉讼必填）"
    )
    plaintiffs = Text(max_length=500, required=False, allow_blank=True, help_text="原告/申请人")
    third_parties = Text(max_length=500, required=False, allow_blank=True, help_text="第三人")
    cause = Label(_column("cause"), labels(ActType), required=False, help_text="案由（中文名称）")
    domain = Label(_column("domain"), labels(Domain), required=False, help_text="领域（中文名称）")
    request = Text(max_length=5000, required=False, allow_blank=True, help_text="诉讼请求/申请事项")
    summary = Text(required=False, allow_blank=True, help_text="案情摘要：案件事实和诉讼请求，最多 2000 字（SPEC §9）")
    amount = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=0, required=False, allow_null=True, help_text="涉案金额（元）"
    )
    filed_on = LedgerDate(required=False, allow_null=True, help_text="立案日期（诉讼必填）")
    received_on = LedgerDate(required=False, allow_null=True, help_text="收案日期（复议必填）")
    acceptance = Label(
        _column("acceptance", CaseKind.RECONSIDERATION), labels(Acceptance), required=False, help_text="受理情况"
    )
    accepted_on = LedgerDate(required=False, allow_null=True, help_text="受理/不予受理日期")
    concluded_on = LedgerDate(required=False, allow_null=True, help_text="结案日期（与结案方式同时填写）")
    outcome = serializers.ChoiceField(
        choices=OUTCOME_LABELS, required=False, allow_blank=True, help_text="结案方式（SPEC §9 的中文名称）"
    )
    note = Text(max_length=5000, required=False, allow_blank=True, help_text="备注")
    version = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        required=False,
        help_text="乐观锁：更新时填写读取到的版本号，已被他人修改则返回 409",
    )

    def validate_number(self, value: str) -> str:
        value = value.strip()
        if not value:
            raise serializers.ValidationError("案号不能为空")
        return value


class HearingIn(serializers.Serializer):
    case_number = Text(max_length=100, help_text="案号")
    held_on = LedgerDate(help_text="开庭日期；同一案件同一日期重复推送不会重复登记，也不会重复发送通知")
    starts_at = serializers.TimeField(required=False, allow_null=True, help_text="开庭时间，如 09:30")
    courtroom = Text(max_length=100, required=False, allow_blank=True, help_text="法庭")
    court = Text(
        max_length=200, required=False, allow_blank=True, help_text="法院名称（可不填；填写时须与案件的法院一致）"
    )

    def validate_held_on(self, value: datetime.date | None) -> datetime.date:
        if value is None:
            raise serializers.ValidationError("请填写开庭日期")
        return value


class OutcomeIn(serializers.Serializer):
    case_number = Text(max_length=100, help_text="案号")
    concluded_on = LedgerDate(help_text="结案日期")
    outcome = serializers.ChoiceField(choices=OUTCOME_LABELS, help_text="结案方式（SPEC §9 的中文名称，按案件类别）")
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False, help_text="乐观锁版本号")

    def validate_concluded_on(self, value: datetime.date | None) -> datetime.date:
        if value is None:
            raise serializers.ValidationError("请填写结案日期")
        return value


class CaseFilter(serializers.Serializer):
    number = Text(max_length=100, required=False, help_text="按案号精确查找")
    kind = serializers.ChoiceField(choices=CaseKind.values, required=False, help_text="案件类别")
    concluded = serializers.BooleanField(required=False, allow_null=True, default=None, help_text="是否已结案")
    updated_since = Moment(required=False, help_text="只列出此时间之后更新的案件（ISO 8601）")
    limit = serializers.IntegerField(min_value=1, max_value=200, required=False, default=50, help_text="每页条数")
    offset = serializers.IntegerField(min_value=0, max_value=10**9, required=False, default=0, help_text="起始位置")


class FiguresFilter(serializers.Serializer):
    region = Text(max_length=100, required=False, help_text="地区名称（含全部下级地区；默认为调用方的全部范围）")
    date_from = LedgerDate(help_text="起始日期（含）")
    date_to = LedgerDate(help_text="截止日期（含）")
    by = serializers.ChoiceField(choices=list(GROUPINGS), required=False, help_text="分组：county|agency|domain|month")

    def get_fields(self) -> dict[str, Any]:
        # "from" is a Python keyword: the names on the wire differ from the attributes.
        fields = super().get_fields()
        fields["from"] = fields.pop("date_from")
        fields["to"] = fields.pop("date_to")
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("from") is None:
            raise serializers.ValidationError({"from": ["请填写起始日期"]})
        if attrs.get("to") is None:
            raise serializers.ValidationError({"to": ["请填写截止日期"]})
        if attrs["from"] > attrs["to"]:
            raise serializers.ValidationError({"from": [f"起始日期 {attrs['from']} 晚于截止日期 {attrs['to']}"]})
        return attrs


# --- Output ----------------------------------------------------------------------------------------------------

# Free text with every 居民身份证号码 and mobile number in it masked (个人信息保护法 第51条): one rule, in core.
mask_text = mask_personal_text


def _name(org: Any) -> str | None:
    return org.name if org is not None else None


def _label(choices: Any, value: str) -> str:
    return str(dict(choices.choices).get(value, value)) if value else ""


def case_data(case: Case) -> dict[str, Any]:
    """A case as the API returns it: labels, not codes, as in the ledger; personal data masked."""

    def day(value: datetime.date | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "id": case.pk,
        "number": case.number,
        "kind": case.kind,
        "kind_label": _label(CaseKind, case.kind),
        "instance": _label(Instance, case.instance),
        "forum": _name(case.forum),
        "defendant": case.defendant.name,
        "region": case.region.name,
        "plaintiffs": mask_text(case.plaintiffs),
        "third_parties": mask_text(case.third_parties),
        "cause": _label(ActType, case.cause),
        "domain": _label(Domain, case.domain),
        "summary": mask_text(case.summary),
        "filed_on": day(case.filed_on),
        "received_on": day(case.received_on),
        "acceptance": _label(Acceptance, case.acceptance),
        "accepted_on": day(case.accepted_on),
        "hearing_on": day(case.hearing_on),
        "head_appeared": case.head_appeared,
        "concluded_on": day(case.concluded_on),
        "outcome": _label(outcome_choices(case.kind), case.outcome),
        "status": case.status_label,
        "version": case.version,
        "updated_at": case.updated_at.isoformat(),
    }


def hearing_data(hearing: Hearing) -> dict[str, Any]:
    return {
        "id": hearing.pk,
        "case_number": hearing.case.number,
        "held_on": hearing.held_on.isoformat(),
        "starts_at": hearing.starts_at.strftime("%H:%M") if hearing.starts_at else None,
        "courtroom": hearing.courtroom,
        "court": hearing.court.name,
        "agency": hearing.agency.name,
        "state": hearing.get_state_display(),
        "designee_phone": mask_phone(hearing.designee_phone),
    }


class CaseOut(serializers.Serializer):
    """Schema of ``case_data`` (for the OpenAPI document)."""

    id = serializers.IntegerField()
    number = serializers.CharField()
    kind = serializers.ChoiceField(choices=CaseKind.values)
    kind_label = serializers.CharField()
    instance = serializers.CharField()
    forum = serializers.CharField(allow_null=True)
    defendant = serializers.CharField()
    region = serializers.CharField()
    plaintiffs = serializers.CharField(help_text="身份证号、手机号已脱敏")
    third_parties = serializers.CharField()
    cause = serializers.CharField()
    domain = serializers.CharField()
    summary = serializers.CharField(help_text="案情摘要；身份证号、手机号已脱敏")
    filed_on = serializers.DateField(allow_null=True)
    received_on = serializers.DateField(allow_null=True)
    acceptance = serializers.CharField()
    accepted_on = serializers.DateField(allow_null=True)
    hearing_on = serializers.DateField(allow_null=True)
    head_appeared = serializers.BooleanField(allow_null=True)
    concluded_on = serializers.DateField(allow_null=True)
    outcome = serializers.CharField()
    status = serializers.CharField()
    version = serializers.IntegerField()
    updated_at = serializers.DateTimeField()


class CaseWriteOut(serializers.Serializer):
    created = serializers.BooleanField(help_text="是否新登记（同一案号第二次推送为 false）")
    changed = serializers.BooleanField(help_text="是否有字段发生变化")
    case = CaseOut()


class CaseListOut(serializers.Serializer):
    count = serializers.IntegerField()
    limit = serializers.IntegerField()
    offset = serializers.IntegerField()
    results = CaseOut(many=True)


class HearingOut(serializers.Serializer):
    id = serializers.IntegerField()
    case_number = serializers.CharField()
    held_on = serializers.DateField()
    starts_at = serializers.CharField(allow_null=True)
    courtroom = serializers.CharField()
    court = serializers.CharField()
    agency = serializers.CharField()
    state = serializers.CharField()
    designee_phone = serializers.CharField(help_text="已脱敏")


class HearingWriteOut(serializers.Serializer):
    created = serializers.BooleanField(help_text="是否新登记（重复推送为 false，且不再发送通知）")
    hearing = HearingOut()


class OutcomeWriteOut(serializers.Serializer):
    changed = serializers.BooleanField()
    case = CaseOut()


class ErrorDetail(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField(help_text="中文说明")
    message_en = serializers.CharField(help_text="English message")
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    current_version = serializers.IntegerField(required=False, allow_null=True, help_text="409：案件的当前版本号")
    retry_after = serializers.IntegerField(required=False, help_text="429：等待秒数（同 Retry-After）")


class ErrorOut(serializers.Serializer):
    error = ErrorDetail()


class LitigationFigures(serializers.Serializer):
    filed = serializers.IntegerField()
    concluded = serializers.IntegerField()
    lost = serializers.IntegerField()
    loss_rate = serializers.FloatField(allow_null=True)
    hearings = serializers.IntegerField()
    head_appeared = serializers.IntegerField()
    appearance_rate = serializers.FloatField(allow_null=True)


class ReconsiderationFigures(serializers.Serializer):
    received = serializers.IntegerField()
    accepted = serializers.IntegerField()
    rejected = serializers.IntegerField()
    concluded = serializers.IntegerField()
    corrected = serializers.IntegerField()
    correction_rate = serializers.FloatField(allow_null=True)
    mediated = serializers.IntegerField()
    mediation_rate = serializers.FloatField(allow_null=True)


class FiguresRow(serializers.Serializer):
    key = serializers.CharField()
    litigation = LitigationFigures()
    reconsideration = ReconsiderationFigures()


class Figures(serializers.Serializer):
    litigation = LitigationFigures()
    reconsideration = ReconsiderationFigures()


class FiguresOut(serializers.Serializer):
    """Exactly the JSON of ``fuyuan stats --format json`` (SPEC §9)."""

    region = serializers.CharField(allow_null=True)
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    total = Figures()
    rows = FiguresRow(many=True)

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["from"] = fields.pop("date_from")
        fields["to"] = fields.pop("date_to")
        return fields
