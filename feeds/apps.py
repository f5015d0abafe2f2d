from django.apps import AppConfig


class FeedsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "feeds"
    verbose_name = "Фиды для маркетплейсов"

    def ready(self):
        from catalog.signals import catalogue_changed
        from feeds.services import feed_rebuild_soon

        catalogue_changed.connect(
            lambda **kwargs: feed_rebuild_soon(), dispatch_uid="feeds.rebuild_on_catalogue_change", weak=False
        )
