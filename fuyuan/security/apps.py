from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "fuyuan.security"
    label = "security"
    verbose_name = "身份鉴别与三员管理"

    def ready(self) -> None:
        from fuyuan.security import admins, signals  # noqa: F401  (signal receivers)
