"""Kept for the migrations that name it: service files use `core.storage.private_storage` (local or the bucket)."""

from core.storage import PrivateFileSystemStorage as PrivateStorage

__all__ = ["PrivateStorage"]
