"""What an uploaded file really is, decided by its bytes, never by its name or the browser's word.

Images are opened by Pillow, their pixel count checked from the header before any decoding, so a
decompression bomb (a small file that expands to gigabytes) is refused without being decoded.
A phone's MPO photo (several JPEG frames in one file) is kept as its first frame, a plain JPEG.
PDFs are read through, compressed object streams included: one that runs JavaScript or carries
other files inside is refused, since staff open these files on their own computers.
"""

import base64
import binascii
import io
import re
import warnings
import zlib
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

MB = 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000

UPLOAD_EMPTY = "{name}: файл пустой."
UPLOAD_UNKNOWN_TYPE = "{name}: такой тип файла не принимается — только JPEG, PNG, WebP, MP4, MOV или PDF."
UPLOAD_IMAGE_BROKEN = "{name}: изображение повреждено или не является изображением."
UPLOAD_IMAGE_TOO_MANY_PIXELS = "{name}: изображение слишком большое по размеру в пикселях (больше 40 Мп)."
UPLOAD_TOO_LARGE = "{name}: файл больше {limit} МБ."
UPLOAD_PDF_SCRIPT = (
    "{name}: PDF содержит JavaScript — такие файлы не принимаются. "
    "Сохраните документ в PDF заново («Печать» → «Сохранить как PDF») и приложите его."
)
UPLOAD_PDF_EMBEDDED = (
    "{name}: внутри PDF вложены другие файлы — такие PDF не принимаются. Приложите файлы по отдельности."
)
UPLOAD_PDF_UNREADABLE = (
    "{name}: PDF зашифрован или сжат так, что его нельзя проверить. Сохраните его в PDF заново без пароля."
)


@dataclass(frozen=True)
class Sniffed:
    kind: str  # image, video, pdf
    content_type: str
    content: bytes | None = None  # what to keep instead of the upload: an MPO's first frame as JPEG


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


def _image_check(file, name: str, content_type: str) -> bytes | None:
    """Refuse a broken or oversized image; return an MPO's first frame as JPEG bytes, None for any other image."""
    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise UploadRefused(UPLOAD_IMAGE_TOO_MANY_PIXELS.format(name=name))
                is_mpo = image.format == "MPO" and content_type == "image/jpeg"
                if image.format != PILLOW_FORMATS[content_type] and not is_mpo:
                    raise UploadRefused(UPLOAD_IMAGE_BROKEN.format(name=name))
                image.verify()
            file.seek(0)
            with Image.open(file) as image:
                image.load()
                if is_mpo:
                    return _first_frame_jpeg(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadRefused(UPLOAD_IMAGE_TOO_MANY_PIXELS.format(name=name)) from None
    except UploadRefused:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise UploadRefused(UPLOAD_IMAGE_BROKEN.format(name=name)) from None
    finally:
        file.seek(0)
    return None


def _first_frame_jpeg(image: Image.Image) -> bytes:
    """The photo itself of an MPO (the other frames are a depth map or a preview), with its EXIF for orientation."""
    image.seek(0)
    frame = image.convert("RGB") if image.mode not in ("RGB", "L", "CMYK") else image.copy()
    buffer = io.BytesIO()
    extra = {"exif": image.info["exif"]} if image.info.get("exif") else {}
    frame.save(buffer, format="JPEG", quality=95, **extra)
    return buffer.getvalue()


# --- PDF ----------------------------------------------------------------------------------------------

PDF_SCRIPT_NAMES = frozenset({"JS", "JavaScript"})
PDF_EMBEDDED_NAMES = frozenset({"EmbeddedFile", "EmbeddedFiles"})
PDF_INFLATED_LIMIT = 200 * MB  # a stream that inflates beyond this is a bomb, not a drawing

_PDF_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]*)")
_PDF_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_PDF_FILTERS = {
    b"FlateDecode": "flate",
    b"Fl": "flate",
    b"ASCIIHexDecode": "hex",
    b"AHx": "hex",
    b"ASCII85Decode": "a85",
    b"A85": "a85",
}


class _Unreadable(Exception):
    pass


def _pdf_names(data: bytes) -> set[str]:
    """Every name token, #xx escapes decoded: /J#53 is /JS."""
    return {
        _PDF_HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw).decode("latin-1")
        for raw in _PDF_NAME.findall(data)
    }


def _pdf_decode(data: bytes, filters: list[str], budget: list[int]) -> bytes:
    for kind in filters:
        if kind == "flate":
            inflater = zlib.decompressobj()
            try:
                out = inflater.decompress(data, budget[0] + 1)
            except zlib.error:
                raise _Unreadable from None
            if len(out) > budget[0]:
                raise _Unreadable
            budget[0] -= len(out)
            data = out
        elif kind == "hex":
            digits = re.sub(rb"\s", b"", data).split(b">")[0]
            try:
                data = binascii.unhexlify(digits + b"0" * (len(digits) % 2))
            except binascii.Error:
                raise _Unreadable from None
        else:
            body = re.sub(rb"\s", b"", data).split(b"~>")[0]
            try:
                data = base64.a85decode(body)
            except ValueError:
                raise _Unreadable from None
    return data


def _pdf_streams(data: bytes):
    """Each stream's dictionary and its decoded bytes (None when its filters are not ones read here)."""
    budget = [PDF_INFLATED_LIMIT]
    for match in _PDF_STREAM.finditer(data):
        start = match.end()
        end = data.find(b"endstream", start)
        if end < 0:
            end = len(data)
        head = data[max(0, match.start() - 4096) : match.start()]
        head = head[head.rfind(b" obj") + 4 :] if b" obj" in head else head
        filters_at = head.find(b"/Filter")
        names = _PDF_NAME.findall(head[filters_at:]) if filters_at >= 0 else []
        chain = []
        for raw in names[1:]:
            if raw in _PDF_FILTERS:
                chain.append(_PDF_FILTERS[raw])
            elif raw.endswith(b"Decode") or raw in (b"LZW", b"RL", b"CCF", b"DCT"):
                chain = None
                break
            else:
                break
        try:
            decoded = _pdf_decode(data[start:end], chain, budget) if chain is not None else None
        except _Unreadable:
            decoded = None
        yield head, decoded


def _pdf_check(file, name: str) -> None:
    """Refuse a PDF that runs JavaScript or carries files, looking inside compressed object streams too."""
    file.seek(0)
    data = file.read()
    file.seek(0)
    names = _pdf_names(data)
    if "Encrypt" in names:
        raise UploadRefused(UPLOAD_PDF_UNREADABLE.format(name=name))
    for head, decoded in _pdf_streams(data):
        if decoded is not None:
            names |= _pdf_names(decoded)
        elif b"/ObjStm" in head:
            # Objects packed where they cannot be read could hide a script.
            raise UploadRefused(UPLOAD_PDF_UNREADABLE.format(name=name))
    if names & PDF_SCRIPT_NAMES:
        raise UploadRefused(UPLOAD_PDF_SCRIPT.format(name=name))
    if names & PDF_EMBEDDED_NAMES:
        raise UploadRefused(UPLOAD_PDF_EMBEDDED.format(name=name))


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
        first_frame = _image_check(file, name, sniffed.content_type)
        if first_frame is not None:
            return Sniffed("image", "image/jpeg", first_frame)
    elif sniffed.kind == "pdf":
        _pdf_check(file, name)
    return sniffed
