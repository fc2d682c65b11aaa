from django.apps import AppConfig


class HearingsConfig(AppConfig):
    name = "fuyuan.hearings"
    label = "hearings"
    verbose_name = "出庭应诉"

    def ready(self) -> None:
        from fuyuan.hearings import workflow
        from fuyuan.notifications.sweep import Part, register_part

        register_part(Part("hearings", "开庭", 20, workflow.HearingSweep, run=lambda now: workflow.sweep_hearings(now)))
