from django.apps import AppConfig


class FileReviewConfig(AppConfig):
    name = "fuyuan.filereview"
    label = "filereview"
    verbose_name = "行政执法案卷评查"
