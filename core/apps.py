from django.apps import AppConfig


class CoreConfig(AppConfig):
    """No models, so nothing of it shows in the admin (hence no translated verbose name)."""

    name = "core"

    def ready(self):
        # iPhones send HEIC: teach Pillow to open it once, at start-up (core.images).
        from pillow_heif import register_heif_opener

        register_heif_opener()
