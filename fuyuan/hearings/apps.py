from django.apps import AppConfig


class HearingsConfig(AppConfig):
    name = "fuyuan.hearings"
    label = "hearings"
    verbose_name = "出庭应诉"
