"""A hazard's photos (and their thumbnails) for the people who may see the hazard: signed in
on the web or by API token, the hazard in ``Hazard.objects.visible_to(user)``, else 404.
The photos live in the private storage; these views are their only way out."""

from django.shortcuts import get_object_or_404

from core.files import PrivateFileView

from ..models import HazardPhoto


class HazardPhotoView(PrivateFileView):
    """GET /hazards/photos/<uuid>/ (``thumbnail``: its small copy, or the photo until the
    thumbnail task has made one)."""

    thumbnail = False

    def get_file(self):
        photo = get_object_or_404(
            HazardPhoto.objects.visible_to(self.request.user), uuid=self.kwargs["uuid"]
        )
        return (self.thumbnail and photo.thumbnail) or photo.image
