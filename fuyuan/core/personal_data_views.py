"""「查看完整号码」: the one door through which a masked ID number or phone number is shown whole.

个人信息保护法 第51条 (access control over personal information) and GB/T 22239-2019 8.1.4.11 b) (no
unauthorised access to personal information); 8.1.3.5 安全审计: every reveal, and every refused attempt, is a
record in the audit log with the field and the record it belongs to.
"""

from __future__ import annotations

from django.apps import apps
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from fuyuan.audit.log import record
from fuyuan.audit.models import AuditKind
from fuyuan.core.masking import REVEALABLE, Shown


@never_cache
@require_POST
def reveal(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    """The whole value of one personal-data field (``REVEALABLE[key]``) of one record, for a role that needs it.

    The record is loaded through its app's ``visible_to(user)``: a record that does not exist and one the user may
    not open get the same 404, which names neither the record nor any digit of the value (so ids cannot be probed).
    A record the user may open but whose value their role does not need gets 403 with the masked value and who may
    see it. An HTMX request gets the fragment that replaces the masked value in place."""
    rule = REVEALABLE.get(key)
    if rule is None:
        raise Http404("没有这一项个人信息")
    detail = {"field": rule.field, "label": rule.label}
    obj = rule.visible_to(request.user).filter(pk=pk).first()
    if obj is None:
        record(AuditKind.UNMASK, f"查看完整{rule.label}被拒绝：记录不存在或不在本人可查看的范围内", request=request,
               target_type=apps.get_model(rule.model)._meta.label_lower, target_id=str(pk),
               detail={**detail, "refused": True, "visible": False})  # fmt: skip
        if request.headers.get("HX-Request"):  # the button on a page loaded before the record left the scope
            return render(request, "core/_reveal_not_found.html", {"key": key}, status=404)
        raise Http404("记录不存在")
    if not rule.may_reveal(request.user, obj):
        record(AuditKind.UNMASK, f"查看完整{rule.label}被拒绝：{obj}", request=request, target=obj,
               detail={**detail, "refused": True})  # fmt: skip
        refused = Shown(key, obj.pk, rule.mask(getattr(obj, rule.field) or ""), can_reveal=False)
        context = {"label": rule.label, "who": rule.who, "v": refused}
        template = "core/_reveal_refused.html" if request.headers.get("HX-Request") else "core/reveal_refused.html"
        return render(request, template, context, status=403)
    value = getattr(obj, rule.field) or ""
    record(AuditKind.UNMASK, f"查看完整{rule.label}：{obj}", request=request, target=obj, detail=detail)
    shown = Shown(key, obj.pk, rule.mask(value), can_reveal=False)
    back = request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    context = {"value": value, "label": rule.label, "v": shown, "obj": obj, "back": back}
    template = "core/_revealed.html" if request.headers.get("HX-Request") else "core/revealed.html"
    return render(request, template, context)
