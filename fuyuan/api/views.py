"""The REST endpoints (``/api/v1/…``). Thin, as the rest of the code base expects of an API layer: each view
parses the request, calls the existing scoped queries (``cases.queries.visible_to``) and workflows
(``cases.workflow``, ``hearings.workflow``) as the system's service account, and renders the result. Writes
go through the workflows only, each request in one transaction, so an error leaves nothing written.

Every call is audited (``AuditKind.API``) once its response is decided (``ApiView.finalize_response``).
"""

from __future__ import annotations

import re
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fuyuan.api import serializers as s
from fuyuan.api.auth import TokenRateThrottle
from fuyuan.api.errors import ApiError, forbidden, invalid, not_found
from fuyuan.api.models import ApiToken
from fuyuan.audit.log import record
from fuyuan.audit.models import AuditKind
from fuyuan.cases import workflow as case_workflow
from fuyuan.cases.choices import Acceptance, CaseKind
from fuyuan.cases.models import Case
from fuyuan.cases.queries import creatable_kinds, editable_by, visible_to
from fuyuan.core.deployment import example_agency_lazy
from fuyuan.core.models import Organisation, OrganisationKind, Region, Role, User
from fuyuan.core.queries import organisations_visible_to
from fuyuan.hearings import workflow as hearing_workflow
from fuyuan.hearings.models import Hearing, HearingState
from fuyuan.stats import figures

CASE_RELATED = ("court", "reconsideration_body", "defendant", "region")


def _errors(description: str) -> OpenApiResponse:
    return OpenApiResponse(s.ErrorOut, description=description)


COMMON_ERRORS = {
    400: _errors("请求内容有误：fields 逐项说明哪个字段错在哪里"),
    401: _errors("缺少令牌，或令牌无效、已吊销、已过期"),
    403: _errors("超出该系统服务账号的权限范围"),
    429: _errors("请求过于频繁（按令牌限流），Retry-After 给出等待秒数"),
}


_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")


def _printable(text: str) -> str:
    """Text as the audit log can store it: a NUL or a lone surrogate sent by a caller is dropped."""
    return _UNSTORABLE.sub("", text)


class ApiView(APIView):
    """The base of every endpoint: token authentication, per-token throttling, the audit of every call."""

    throttle_classes = [TokenRateThrottle]
    # Set by a view once it knows them: the 案号 concerned, and the case or hearing when the request succeeded.
    audit_number = ""
    audit_target: models.Model | None = None

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        self._audit(request, response)
        return response

    def _audit(self, request: Request, response: Response) -> None:
        token = request.auth if isinstance(getattr(request, "_auth", None), ApiToken) else None
        account = token.system.account if token is not None else None
        system = token.system.name if token is not None else ""
        number = self.audit_number
        if not number:
            data = getattr(request, "_full_data", None)
            raw = data.get("number") or data.get("case_number") if isinstance(data, dict) else None
            number = raw if isinstance(raw, str) else request.query_params.get("number", "")
        number, path = _printable(str(number))[:100], _printable(request.path)[:300]
        who = system or "未认证调用"
        summary = f"{who} {request.method} {path} → {response.status_code}" + (f"（{number}）" if number else "")
        record(
            AuditKind.API,
            summary,
            request=request._request,
            actor=account,
            username=account.get_username() if account is not None else "",
            target=self.audit_target,
            detail={
                "system": system,
                "token": token.prefix if token is not None else "",
                "method": request.method,
                "path": path,
                "status": response.status_code,
                "number": number,
            },
        )

    @property
    def account(self) -> User:
        user = self.request.user
        assert isinstance(user, User)
        return user


def _parse(serializer: serializers.Serializer) -> dict[str, Any]:
    if not serializer.is_valid():
        raise invalid({k: [str(m) for m in v] for k, v in serializer.errors.items()})
    return dict(serializer.validated_data)


# --- Cases -----------------------------------------------------------------------------------------------------

# The schema's examples are the deployment's own (``core.deployment``), never a place of the seeds: a neutral 案号 and
# the deployment's example agency ("云岭州自然资源局", or "××县自然资源局" for an unnamed deployment).
CASE_EXAMPLE = OpenApiExample(
    "一审行政诉讼案件",
    value={
        "number": s.EXAMPLE_NUMBER,
        "kind": "litigation",
        "defendant": example_agency_lazy(),
        "instance": "一审",
        "plaintiffs": "张三",
        "cause": "行政处罚",
        "domain": "自然资源",
        "filed_on": "2026-03-05",
    },
    request_only=True,
)


class CaseCollection(ApiView):
    @extend_schema(
        operation_id="cases_list",
        summary="查询案件",
        description="列出调用系统权限范围内的案件（与其服务账号在平台上看到的一致），可按案号、类别、是否结案、更新时间筛选。",
        parameters=[s.CaseFilter],
        responses={200: s.CaseListOut, **{k: v for k, v in COMMON_ERRORS.items() if k != 403}},
        tags=["案件"],
    )
    def get(self, request: Request) -> Response:
        params = _parse(s.CaseFilter(data=request.query_params))
        qs = visible_to(self.account).select_related(*CASE_RELATED)
        if params.get("number"):
            qs = qs.filter(number=params["number"].strip())
            self.audit_number = params["number"].strip()
        if params.get("kind"):
            qs = qs.filter(kind=params["kind"])
        if params.get("concluded") is not None:
            qs = qs.filter(concluded_on__isnull=not params["concluded"])
        if params.get("updated_since"):
            qs = qs.filter(updated_at__gte=params["updated_since"])
        qs = qs.order_by("id")
        limit, offset = params["limit"], params["offset"]
        page = list(qs[offset : offset + limit])
        return Response(
            {"count": qs.count(), "limit": limit, "offset": offset, "results": [s.case_data(c) for c in page]}
        )

    @extend_schema(
        operation_id="cases_put",
        summary="推送案件（按案号登记或更新）",
        description=(
            "按案号幂等：案号不存在则登记（201，created=true），已存在则只更新所发送的字段（200，created=false）；"
            "同一内容重复推送不产生任何变化。更新时可带 version（乐观锁），案件已被他人修改则返回 409。"
            "审级、案由、领域、受理情况、结案方式使用与台账导入相同的中文名称；日期可为 2021-03-05、2021/3/5、"
            "2021.3.5 或 2021年3月5日。"
        ),
        request=s.CaseIn,
        responses={
            200: s.CaseWriteOut,
            201: s.CaseWriteOut,
            409: _errors("版本已过期：案件已被他人修改"),
            **COMMON_ERRORS,
        },
        examples=[CASE_EXAMPLE],
        tags=["案件"],
    )
    def put(self, request: Request) -> Response:
        values = _parse(s.CaseIn(data=request.data))
        self.audit_number = values["number"]
        with transaction.atomic():
            created, changed, case = push_case(self.account, values)
        case = self.audit_target = Case.objects.select_related(*CASE_RELATED).get(pk=case.pk)
        return Response(
            {"created": created, "changed": changed, "case": s.case_data(case)},
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class CaseItem(ApiView):
    @extend_schema(
        operation_id="cases_retrieve",
        summary="查看一件案件",
        description="按编号（id）读取一件调用系统权限范围内的案件；不在范围内的案件与不存在的一样返回 404。",
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="案件编号（id）")],
        responses={200: s.CaseOut, 404: _errors("案件不存在或不在权限范围内"), 401: COMMON_ERRORS[401]},
        tags=["案件"],
    )
    def get(self, request: Request, pk: str) -> Response:
        case_id = int(pk) if pk.isascii() and pk.isdigit() and len(pk) < 19 else None
        case = visible_to(self.account).select_related(*CASE_RELATED).filter(pk=case_id).first() if case_id else None
        if case is None:
            raise not_found("该案件（或不在您的权限范围内）", "Case")
        self.audit_number, self.audit_target = case.number, case
        return Response(s.case_data(case))


@extend_schema(exclude=True)
class Unknown(ApiView):
    """Any other path under /api/v1/: a 404 (after authentication, so that it reveals nothing to a stranger)."""

    def dispatch_unknown(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise not_found("该接口", "Endpoint")

    get = put = post = patch = delete = dispatch_unknown


def _organisation(name: str, kinds: tuple[str, ...], field: str, what: str) -> Organisation:
    org = Organisation.objects.filter(name=name.strip(), kind__in=kinds).select_related("region").first()
    if org is None:
        raise invalid({field: [f"未登记的{what}“{name}”"]})
    return org


def _forum(user: User, kind: str, name: str | None) -> Organisation | None:
    """The court or reconsideration body of a pushed case: a court's or body's system pushes only its own cases
    (as its liaison can only register cases at their own unit); the 依法治办's system names it."""
    own_role = Role.COURT_LIAISON if kind == CaseKind.LITIGATION else Role.RECONSIDERATION_BODY
    if user.role == own_role and user.organisation is not None:
        if name and name.strip() != user.organisation.name:
            raise forbidden(
                f"只能推送本单位（{user.organisation.name}）的案件，不能推送“{name}”的案件",
                "A court or reconsideration body system can push only its own cases",
            )
        return user.organisation
    if not name:
        return None
    kinds = (OrganisationKind.COURT,) if kind == CaseKind.LITIGATION else (OrganisationKind.JUSTICE_BUREAU,)
    return _organisation(name, kinds, "forum", "法院" if kind == CaseKind.LITIGATION else "复议机构")


def push_case(user: User, values: dict[str, Any]) -> tuple[bool, bool, Case]:
    """Register or update the case named by ``values["number"]``; returns (created, changed, case). The case rules
    are the workflow's (``cases.rules``): a case that cannot be true is refused there, and answered as a 400 naming
    each field (``api.errors``)."""
    number, kind = values.pop("number"), values.pop("kind")
    version = values.pop("version", None)
    forum = _forum(user, kind, values.pop("forum", None))
    defendant_name = values.pop("defendant", None)
    if defendant_name is not None:
        values["defendant"] = _organisation(defendant_name, (OrganisationKind.AGENCY,), "defendant", "被告单位")
        if not organisations_visible_to(user).filter(pk=values["defendant"].pk).exists():
            raise forbidden(
                f"被告单位“{defendant_name}”不在您的权限范围内", "The defendant is outside the system's scope"
            )
    if "outcome" in values:
        values["outcome"] = s.outcome_value(kind, values["outcome"])
    if kind == CaseKind.LITIGATION:
        values.pop("acceptance", None)
        values.pop("received_on", None)
        values.pop("accepted_on", None)
    else:
        values.pop("instance", None)
        values.pop("filed_on", None)
    if forum is not None:
        values["court" if kind == CaseKind.LITIGATION else "reconsideration_body"] = forum

    case = Case.objects.select_for_update().filter(number=number).first()
    if case is None:
        if kind not in creatable_kinds(user):
            raise forbidden("该系统无权登记此类案件", "The system may not register this kind of case")
        if kind == CaseKind.RECONSIDERATION and not values.get("acceptance"):
            # As the ledger import does (cases.ledger._check_row): a concluded application was accepted.
            values["acceptance"] = Acceptance.ACCEPTED if values.get("concluded_on") else Acceptance.PENDING
        try:
            with transaction.atomic():
                case = case_workflow.register_case({**values, "number": number, "kind": kind}, by=user)
        except IntegrityError:
            # The same 案号 pushed twice at once: the other request registered it; this one updates it.
            case = Case.objects.select_for_update().filter(number=number).first()
            if case is None:
                raise
        else:
            if not editable_by(user).filter(pk=case.pk).exists():
                raise forbidden("该案件不在您的权限范围内", "The case would be outside the system's scope")
            return True, True, case
    if not editable_by(user).filter(pk=case.pk).exists():
        raise forbidden(f"案号“{number}”已登记在您的权限范围之外，不能修改", "The case is outside the system's scope")
    if case.kind != kind:
        raise invalid({"kind": [f"该案号已登记为{case.get_kind_display()}案件"]})
    before = case.version
    case = case_workflow.update_case(case, values, by=user, expected_version=version)
    return False, case.version != before, case


# --- Hearings --------------------------------------------------------------------------------------------------


class HearingCollection(ApiView):
    @extend_schema(
        operation_id="hearings_put",
        summary="推送开庭通知（按案号和开庭日期幂等）",
        description=(
            "登记一件诉讼案件的开庭通知，并立即通知被告机关和本级依法治办（双调度）。同一案件同一开庭日期重复推送"
            "返回已登记的开庭（created=false），不重复登记，也不重复发送通知。"
        ),
        request=s.HearingIn,
        responses={
            200: s.HearingWriteOut,
            201: s.HearingWriteOut,
            404: _errors("案件不存在或不在权限范围内"),
            **COMMON_ERRORS,
        },
        examples=[
            OpenApiExample(
                "开庭通知",
                value={
                    "case_number": s.EXAMPLE_NUMBER,
                    "held_on": "2026-12-20",
                    "starts_at": "09:30",
                    "courtroom": "第三法庭",
                },
                request_only=True,
            )
        ],
        tags=["开庭"],
    )
    def put(self, request: Request) -> Response:
        values = _parse(s.HearingIn(data=request.data))
        number = values["case_number"].strip()
        self.audit_number = number
        with transaction.atomic():
            case = _case_for_update(self.account, number)
            court = (values.get("court") or "").strip()
            if court and (case.court is None or case.court.name != court):
                raise invalid(
                    {"court": [f"案件的法院是“{case.court.name if case.court else '（无）'}”，不是“{court}”"]}
                )
            existing = self._existing(case, values["held_on"])
            if existing is not None:
                self.audit_target = existing
                return Response({"created": False, "hearing": s.hearing_data(existing)})
            if not hearing_workflow.can_register(self.account, case):
                raise forbidden("该系统无权登记此案件的开庭通知", "The system may not register hearings of this case")
            try:
                with transaction.atomic():
                    hearing = hearing_workflow.register_hearing(
                        case,
                        held_on=values["held_on"],
                        starts_at=values.get("starts_at"),
                        courtroom=values.get("courtroom", ""),
                        by=self.account,
                    )
            except IntegrityError:
                existing = self._existing(case, values["held_on"])
                if existing is None:
                    raise
                return Response({"created": False, "hearing": s.hearing_data(existing)})
            except hearing_workflow.HearingError as exc:
                field = "held_on" if "开庭日期" in str(exc) else "case_number"
                raise invalid({field: [str(exc)]}) from None
        self.audit_target = hearing
        return Response({"created": True, "hearing": s.hearing_data(hearing)}, status=status.HTTP_201_CREATED)

    @staticmethod
    def _existing(case: Case, held_on: Any) -> Hearing | None:
        return (
            Hearing.objects.select_related("case", "court", "agency")
            .filter(case=case, held_on=held_on)
            .exclude(state=HearingState.CANCELLED)
            .first()
        )


# --- Outcomes --------------------------------------------------------------------------------------------------


class OutcomeCollection(ApiView):
    @extend_schema(
        operation_id="outcomes_put",
        summary="推送结案情况（按案号幂等）",
        description="登记案件的结案日期和结案方式（SPEC §9 的中文名称，按案件类别）。相同内容重复推送不产生变化。",
        request=s.OutcomeIn,
        responses={
            200: s.OutcomeWriteOut,
            404: _errors("案件不存在或不在权限范围内"),
            409: _errors("版本已过期：案件已被他人修改"),
            **COMMON_ERRORS,
        },
        examples=[
            OpenApiExample(
                "判决撤销",
                value={"case_number": s.EXAMPLE_NUMBER, "concluded_on": "2026-06-30", "outcome": "撤销"},
                request_only=True,
            )
        ],
        tags=["结案"],
    )
    def put(self, request: Request) -> Response:
        values = _parse(s.OutcomeIn(data=request.data))
        number = values["case_number"].strip()
        self.audit_number = number
        with transaction.atomic():
            case = _case_for_update(self.account, number)
            change = {"concluded_on": values["concluded_on"], "outcome": s.outcome_value(case.kind, values["outcome"])}
            if not editable_by(self.account).filter(pk=case.pk).exists():
                raise forbidden("该系统无权登记此案件的结案情况", "The system may not conclude this case")
            before = case.version
            case = case_workflow.update_case(case, change, by=self.account, expected_version=values.get("version"))
        case = self.audit_target = Case.objects.select_related(*CASE_RELATED).get(pk=case.pk)
        return Response({"changed": case.version != before, "case": s.case_data(case)})


# --- Figures ---------------------------------------------------------------------------------------------------


class FiguresView(ApiView):
    @extend_schema(
        operation_id="figures",
        summary="统计数据",
        description=(
            "与命令 fuyuan stats --format json 完全相同的 JSON（SPEC §9），只统计调用系统权限范围内的案件。"
            "region 须在调用方的地区范围内。"
        ),
        parameters=[s.FiguresFilter],
        responses={200: s.FiguresOut, **COMMON_ERRORS},
        tags=["统计"],
    )
    def get(self, request: Request) -> Response:
        params = _parse(s.FiguresFilter(data=request.query_params))
        cases: QuerySet[Case] = visible_to(self.account)
        region_name = params.get("region")
        if region_name is not None:
            region = Region.objects.filter(name=region_name.strip()).first()
            if region is None:
                raise invalid({"region": [f"未知的地区“{region_name}”"]})
            scope = self.account.scope_region
            if self.account.role == Role.RULE_OF_LAW_OFFICE and scope and not region.path.startswith(scope.path):
                raise forbidden(f"地区“{region_name}”超出您的管辖范围", "The region is outside the system's scope")
            cases = cases.filter(region__path__startswith=region.path)
        result = figures.compute(cases, params["from"], params["to"], params.get("by"))
        return Response(
            {
                "region": region_name,
                "from": params["from"].isoformat(),
                "to": params["to"].isoformat(),
                "total": result["total"],
                "rows": result["rows"],
            }
        )


__all__ = ["ApiError", "CaseCollection", "CaseItem", "FiguresView", "HearingCollection", "OutcomeCollection"]


def _case_for_update(account: User, number: str) -> Case:
    """The caller's case with this 案号, locked for the rest of the transaction; 404 when it is not in its scope."""
    case = visible_to(account).select_for_update().filter(number=number).first()
    if case is None:
        raise not_found(f"案号为“{number}”的案件（或不在您的权限范围内）", "Case")
    return case
