from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "fuyuan.decisions"
    label = "decisions"
    verbose_name = "重大行政决策"
