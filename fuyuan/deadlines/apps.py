from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "fuyuan.deadlines"
    label = "deadlines"
    verbose_name = "期限"
