"""Uploads people actually make: phones' MPO photos kept as JPEG; PDFs with scripts or files inside refused."""

import io
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

from core.uploads import (
    UPLOAD_PDF_EMBEDDED,
    UPLOAD_PDF_SCRIPT,
    UPLOAD_PDF_UNREADABLE,
    UploadRefused,
    upload_inspect,
)

LIMITS = {"image": 10, "video": 200, "pdf": 20}


def mpo(size=(64, 48)) -> bytes:
    """A phone's photo: the picture, then a second frame (depth map or preview) in one MPO file."""
    photo, second = Image.new("RGB", size, "red"), Image.new("RGB", size, "blue")
    buffer = io.BytesIO()
    photo.save(buffer, "MPO", save_all=True, append_images=[second])
    return buffer.getvalue()


def pdf(*objects: bytes) -> bytes:
    """A small PDF built by hand from the bodies of its objects, numbered from 1."""
    body = b"%PDF-1.7\n"
    for number, content in enumerate(objects, start=1):
        body += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    return body + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"


def stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<< " + dictionary + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"
DRAWING = stream(b"/Filter /FlateDecode", zlib.compress(b"BT /F1 12 Tf 72 700 Td (Schema) Tj ET"))


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_mpo_photo_from_a_phone_is_kept_as_its_first_frame_in_jpeg():
    content = mpo()
    assert Image.open(io.BytesIO(content)).format == "MPO"

    sniffed = upload_inspect(upload("IMG_0042.jpg", content), limits_mb=LIMITS)

    assert (sniffed.kind, sniffed.content_type) == ("image", "image/jpeg")
    with Image.open(io.BytesIO(sniffed.content)) as kept:
        assert (kept.format, kept.size, getattr(kept, "n_frames", 1)) == ("JPEG", (64, 48), 1)
        red, green, blue = kept.getpixel((10, 10))
        assert red > 200 and green < 50 and blue < 50


def test_plain_jpeg_is_kept_as_uploaded():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(buffer, "JPEG")

    assert upload_inspect(upload("photo.jpg", buffer.getvalue()), limits_mb=LIMITS).content is None


def test_mpo_over_40_mpx_is_refused_like_any_image():
    with pytest.raises(UploadRefused, match="больше 40 Мп"):
        upload_inspect(upload("huge.jpg", mpo(size=(8000, 5001))), limits_mb=LIMITS)


def test_ordinary_pdfs_are_accepted():
    drawing = pdf(b"<< /Type /Catalog /Pages 2 0 R >>", PAGES, PAGE, DRAWING)
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    made_by_pypdf = io.BytesIO()
    writer.write(made_by_pypdf)

    for name, content in [("scheme.pdf", drawing), ("blank.pdf", made_by_pypdf.getvalue())]:
        sniffed = upload_inspect(upload(name, content), limits_mb=LIMITS)
        assert (sniffed.kind, sniffed.content_type, sniffed.content) == ("pdf", "application/pdf", None)


JS_ACTION = b"<< /S /JavaScript /JS (app.alert('1');) >>"
OBJECT_STREAM_WITH_JS = stream(b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", zlib.compress(b"5 0 " + JS_ACTION))


@pytest.mark.parametrize(
    "content",
    [
        pdf(b"<< /Type /Catalog /Pages 2 0 R /OpenAction " + JS_ACTION + b" >>", PAGES, PAGE, DRAWING),
        pdf(b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>", PAGES, PAGE, DRAWING, JS_ACTION),
        pdf(b"<< /Type /Catalog /Pages 2 0 R /Names << /JavaScript 5 0 R >> >>", PAGES, PAGE, DRAWING, b"<< >>"),
        # Names may spell letters as #xx: /J#53 is /JS.
        pdf(b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /J#61vaScript /J#53 (x) >> >>", PAGES, PAGE, DRAWING),
        # The script packed inside a compressed object stream.
        pdf(
            b"<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R >>",
            PAGES,
            PAGE,
            DRAWING,
            b"<< >>",
            OBJECT_STREAM_WITH_JS,
        ),
        # A page that runs a script when it opens.
        pdf(
            b"<< /Type /Catalog /Pages 2 0 R >>",
            PAGES,
            b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /AA << /O " + JS_ACTION + b" >> >>",
            DRAWING,
        ),
    ],
    ids=["open-action", "open-action-by-reference", "names-tree", "hex-escaped-names", "object-stream", "page-action"],
)
def test_pdf_with_javascript_is_refused(content):
    with pytest.raises(UploadRefused) as refused:
        upload_inspect(upload("scheme.pdf", content), limits_mb=LIMITS)

    assert str(refused.value) == UPLOAD_PDF_SCRIPT.format(name="scheme.pdf")
    assert str(refused.value) == (
        "scheme.pdf: PDF содержит JavaScript — такие файлы не принимаются. "
        "Сохраните документ в PDF заново («Печать» → «Сохранить как PDF») и приложите его."
    )


def test_pdf_with_embedded_files_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_attachment("invoice.exe", b"MZ\x90\x00")
    content = io.BytesIO()
    writer.write(content)

    with pytest.raises(UploadRefused) as refused:
        upload_inspect(upload("scheme.pdf", content.getvalue()), limits_mb=LIMITS)

    assert str(refused.value) == UPLOAD_PDF_EMBEDDED.format(name="scheme.pdf")


@pytest.mark.parametrize(
    "content",
    [
        pdf(b"<< /Type /Catalog /Pages 2 0 R >>", PAGES, PAGE, DRAWING) + b"trailer << /Encrypt 9 0 R >>",
        pdf(b"<< /Type /Catalog >>", stream(b"/Type /ObjStm /N 1 /First 4 /Filter /LZWDecode", b"\x80\x0b\x60")),
    ],
    ids=["encrypted", "object-stream-in-lzw"],
)
def test_pdf_whose_insides_cannot_be_read_is_refused(content):
    with pytest.raises(UploadRefused) as refused:
        upload_inspect(upload("scheme.pdf", content), limits_mb=LIMITS)

    assert str(refused.value) == UPLOAD_PDF_UNREADABLE.format(name="scheme.pdf")
