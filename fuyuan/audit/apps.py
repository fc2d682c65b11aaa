from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "fuyuan.audit"
    label = "audit"
    verbose_name = "安全审计"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from fuyuan.audit import checks, signals  # noqa: F401  (checks register themselves)
        from fuyuan.audit.maintenance import register_sqlite_function

        signals.connect()
        connection_created.connect(register_sqlite_function, dispatch_uid="audit_sqlite_function")
