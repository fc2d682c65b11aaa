from django.apps import AppConfig


class SimilarConfig(AppConfig):
    name = "fuyuan.similar"
    label = "similar"
    verbose_name = "类案检索"

    def ready(self) -> None:
        from fuyuan.notifications.sweep import Part, register_part
        from fuyuan.similar import index

        # The index follows the records changed since its mark; pages and the command refresh it too before they
        # search, so the sweep only keeps the work off the first search after a busy day.
        register_part(Part("similar", "类案检索", 65, index.IndexRefresh, run=index.refresh_for_sweep))
