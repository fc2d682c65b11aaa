from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "fuyuan.assessment"
    label = "assessment"
    verbose_name = "法治建设考核"
