"""Private files: the ``private`` storage (``STORAGES["private"]``) and the one way out of it.

Files that may show people (hazard and inspection photos, ledger exports with names) are
stored through Django's storage API in the ``private`` storage — a folder outside
``MEDIA_ROOT`` by default, an S3-compatible bucket with django-storages — and never get a
public URL. A view that has checked who asks hands the file over with
``private_file_response``: Django streams it (development, or an S3 store without a proxy),
or nginx does when ``PRIVATE_FILES_X_ACCEL_PREFIX`` names its internal location.
"""

from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.core.signals import setting_changed
from django.db.models.fields.files import FieldFile
from django.dispatch import receiver
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.utils.functional import LazyObject, empty
from django.utils.http import content_disposition_header
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView


class _PrivateStorage(LazyObject):
    """``storages["private"]``, looked up on first use (and again after the setting changes,
    as tests do), like Django's ``default_storage``."""

    def _setup(self) -> None:
        self._wrapped = storages["private"]


_private = _PrivateStorage()


def private_storage() -> Storage:
    """The ``storage=`` of every private file field. A callable, so migrations record its
    name, not the deployment's backend."""
    return _private  # type: ignore[return-value]


@receiver(setting_changed)
def _reset_private_storage(*, setting: str, **kwargs: object) -> None:
    if setting == "STORAGES":
        _private._wrapped = empty


def private_file_response(
    file: FieldFile,
    *,
    content_type: str,
    filename: str = "",
    as_attachment: bool = False,
) -> HttpResponseBase:
    """The stored ``file`` as the response of a view that has already checked the user may
    have it. 404 when the file is missing. ``Cache-Control: private, no-store``: no shared
    cache keeps it, and the browser does not keep it after the page."""
    if not file:
        raise Http404
    prefix = settings.PRIVATE_FILES_X_ACCEL_PREFIX
    if prefix:
        # nginx serves the file from its internal location (README, Production); the
        # application only decides who may have it.
        response: HttpResponseBase = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = f"{prefix.rstrip('/')}/{quote(file.name)}"
        name = filename or PurePosixPath(file.name).name
        if disposition := content_disposition_header(as_attachment, name):
            response["Content-Disposition"] = disposition
    else:
        try:
            stream = file.storage.open(file.name, "rb")
        except FileNotFoundError:  # deleted meanwhile (an export being purged)
            raise Http404 from None
        response = FileResponse(
            stream, content_type=content_type, as_attachment=as_attachment, filename=filename
        )
    response["Cache-Control"] = "private, no-store"
    return response


class PrivateFileView(APIView):
    """``GET`` one private file for a user signed in to the web pages (session) or an API
    client (token): the subclass's ``get_file`` finds it among what the user may see, or
    raises 404. Not in the OpenAPI schema: the API's serializers give these URLs."""

    permission_classes = [IsAuthenticated]
    schema = None
    content_type = "image/jpeg"

    def get_file(self) -> FieldFile:
        raise NotImplementedError

    def get(self, request: Request, **kwargs: object) -> HttpResponseBase:
        return private_file_response(self.get_file(), content_type=self.content_type)

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # The answer is a file, whatever the client accepts (an <img> asks for image/*).
        return super().perform_content_negotiation(request, force=True)
