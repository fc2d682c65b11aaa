from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "fuyuan.attendance"
    label = "attendance"
    verbose_name = "旁听庭审"

    def ready(self) -> None:
        from fuyuan.attendance import workflow
        from fuyuan.notifications.sweep import Part, register_part
        from fuyuan.obligations.registry import register

        # A unit behind the yearly rule is a due obligation of that unit, reminded monthly and chased after the year.
        register(workflow.YEARLY_KIND)
        register_part(Part("attendance_behind", "旁听庭审", 63, workflow.OpenReport, run=workflow.open_behind))
        register_part(
            Part("attendance", "旁听庭审", 63, workflow.AttendanceSweep, of_obligations=workflow.attendance_sweep,
                 kinds=(workflow.YEARLY,))
        )  # fmt: skip
