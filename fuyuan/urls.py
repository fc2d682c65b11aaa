from django.urls import include, path

from fuyuan.core.admin import configuration_site

urlpatterns = [
    path("", include("fuyuan.core.urls")),
    path("cases/", include("fuyuan.cases.urls")),
    path("stats/", include("fuyuan.stats.urls")),
    path("reconsideration/figures/", include("fuyuan.reconsideration.figures_urls")),
    path("deadlines/", include("fuyuan.deadlines.urls")),
    path("notifications/", include("fuyuan.notifications.urls")),
    path("hearings/", include("fuyuan.hearings.urls")),
    path("disputes/apply/captcha/", include("fuyuan.disputes.challenge_urls")),  # public, like the form
    path("disputes/", include("fuyuan.disputes.urls")),
    path("reconsideration/apply/", include("fuyuan.reconsideration.public_urls")),  # public, like disputes/apply/
    path("decisions/public/", include("fuyuan.decisions.public_urls")),  # public, like disputes/apply/
    path("decisions/", include("fuyuan.decisions.urls")),
    path("documents/", include("fuyuan.documents.urls")),
    path("reconsideration/", include("fuyuan.reconsideration.urls")),
    path("accountability/", include("fuyuan.accountability.urls")),
    path("packaging/", include("fuyuan.packaging.urls")),
    path("rectification/", include("fuyuan.rectification.urls")),
    path("performance/", include("fuyuan.performance.urls")),
    path("meetings/", include("fuyuan.meetings.urls")),
    path("consultation/", include("fuyuan.consultation.urls")),
    path("legalreview/", include("fuyuan.legalreview.urls")),
    path("similar/", include("fuyuan.similar.urls")),
    path("risk/", include("fuyuan.risk.urls")),
    path("nonlitigation/", include("fuyuan.nonlitigation.urls")),
    path("filereview/", include("fuyuan.filereview.urls")),
    path("attendance/", include("fuyuan.attendance.urls")),
    path("enforcement/check/", include("fuyuan.enforcement.public_urls")),  # public 亮证 look-up, like disputes/apply/
    path("enforcement/", include("fuyuan.enforcement.urls")),
    path("assessment/", include("fuyuan.assessment.urls")),
    path("audit/", include("fuyuan.audit.urls")),
    path("security/", include("fuyuan.security.urls")),
    path("security/admins/", include("fuyuan.security.admin_urls")),
    path("api/", include("fuyuan.api.urls")),
    path("admin/", configuration_site.urls),  # 配置数据: the system administrator only (fuyuan/core/admin.py)
]
