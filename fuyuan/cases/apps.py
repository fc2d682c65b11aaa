from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "fuyuan.cases"
    label = "cases"
    verbose_name = "行政案件"
