from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "fuyuan.documents"
    label = "documents"
    verbose_name = "公文文书"
