from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HazardsConfig(AppConfig):
    name = "hazards"
    verbose_name = _("隐患台账")

    def ready(self):
        # iPhones send HEIC: teach Pillow to open it once, at start-up.
        from pillow_heif import register_heif_opener

        register_heif_opener()
