"""Private files (order documents, customers' attachments): no public address, handed out only by views.

One definition, the "private" alias of STORAGES: a folder outside MEDIA_ROOT locally, or a private prefix of
the bucket whose URLs are signed and short-lived when AWS_STORAGE_BUCKET_NAME is set.
"""

import os
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages


class PrivateFileSystemStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT, read at call time so tests can move it; no URL at all."""

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no public URL: serve them through a view that checks the owner.")


def private_storage():
    """The storage of private files (STORAGES["private"]); a callable, so models never pin it at import."""
    return storages["private"]


def random_name(folder: str, extension: str) -> str:
    """A name nobody can guess: folder/<32 hex digits>.<extension>."""
    return f"{folder}/{uuid.uuid4().hex}.{extension}"
