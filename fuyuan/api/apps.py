from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "fuyuan.api"
    label = "api"
    verbose_name = "对外接口"

    def ready(self) -> None:
        from fuyuan.api import schema  # noqa: F401  (registers the OpenAPI description of the token scheme)
