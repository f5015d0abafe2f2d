"""What an uploaded file really is, decided by its bytes, never by its name or the browser's word.

Images are opened by Pillow, their pixel count checked from the header before any decoding, so a
decompression bomb (a small file that expands to gigabytes) is refused without being decoded.
"""

import warnings
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

MB = 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000

UPLOAD_EMPTY = "{name}: файл пустой."
UPLOAD_UNKNOWN_TYPE = "{name}: такой тип файла не принимается — только JPEG, PNG, WebP, MP4, MOV или PDF."
UPLOAD_IMAGE_BROKEN = "{name}: изображение повреждено или не является изображением."
UPLOAD_IMAGE_TOO_MANY_PIXELS = "{name}: изображение слишком большое по размеру в пикселях (больше 40 Мп)."
UPLOAD_TOO_LARGE = "{name}: файл больше {limit} МБ."


@dataclass(frozen=True)
class Sniffed:
    kind: str  # image, video, pdf
    content_type: str


class UploadRefused(ValueError):
    """The file is not accepted; the message says why, in Russian, with the file's name."""


def sniff(head: bytes) -> Sniffed | None:
    """The type the first bytes of a file declare, among those accepted; None for anything else."""
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed("image", "image/jpeg")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed("image", "image/png")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Sniffed("image", "image/webp")
    if head.startswith(b"%PDF-"):
        return Sniffed("pdf", "application/pdf")
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        return Sniffed("video", "video/quicktime" if brand == b"qt  " else "video/mp4")
    if head[4:8] in {b"moov", b"mdat", b"wide", b"free"}:
        return Sniffed("video", "video/quicktime")
    return None


PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}


def _image_check(file, name: str, content_type: str) -> None:
    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise UploadRefused(UPLOAD_IMAGE_TOO_MANY_PIXELS.format(name=name))
                if image.format != PILLOW_FORMATS[content_type]:
                    raise UploadRefused(UPLOAD_IMAGE_BROKEN.format(name=name))
                image.verify()
            file.seek(0)
            with Image.open(file) as image:
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadRefused(UPLOAD_IMAGE_TOO_MANY_PIXELS.format(name=name)) from None
    except UploadRefused:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise UploadRefused(UPLOAD_IMAGE_BROKEN.format(name=name)) from None
    finally:
        file.seek(0)


def upload_inspect(file, *, limits_mb: dict[str, int]) -> Sniffed:
    """Decide a file's type by content and check it against the size limit of its kind; UploadRefused if not."""
    name = getattr(file, "name", "") or "файл"
    if not file.size:
        raise UploadRefused(UPLOAD_EMPTY.format(name=name))
    file.seek(0)
    head = file.read(32)
    file.seek(0)
    sniffed = sniff(head)
    if sniffed is None or sniffed.kind not in limits_mb:
        raise UploadRefused(UPLOAD_UNKNOWN_TYPE.format(name=name))
    limit = limits_mb[sniffed.kind]
    if file.size > limit * MB:
        raise UploadRefused(UPLOAD_TOO_LARGE.format(name=name, limit=limit))
    if sniffed.kind == "image":
        _image_check(file, name, sniffed.content_type)
    return sniffed
