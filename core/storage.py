"""Private files (order documents, customers' attachments): no public address, handed out only by views.

One definition, the "private" alias of STORAGES: a folder outside MEDIA_ROOT locally, or a private prefix of
the bucket whose URLs are signed and short-lived when AWS_STORAGE_BUCKET_NAME is set.
"""

import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.utils.functional import cached_property


class PrivateFileSystemStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT, read at call time so tests can move it; no URL at all."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError("Private files have no public URL: serve them through a view that checks the owner.")


def private_storage():
    """The storage of private files (STORAGES["private"]); a callable, so models never pin it at import."""
    return storages["private"]


def random_name(folder: str, extension: str) -> str:
    """A name nobody can guess: folder/<32 hex digits>.<extension>."""
    return f"{folder}/{uuid.uuid4().hex}.{extension}"
