from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "fuyuan.meetings"
    label = "meetings"
    verbose_name = "府院联席会议"

    def ready(self) -> None:
        from fuyuan.meetings import workflow
        from fuyuan.notifications.sweep import Part, register_part
        from fuyuan.obligations.registry import register

        register(workflow.TASK_KIND)
        register_part(
            Part("meetings", "联席会议", 55, workflow.TaskSweep, of_obligations=workflow.task_sweep,
                 kinds=(workflow.TASK,))
        )  # fmt: skip
