"""A file's type is decided by its bytes; images are checked by Pillow before they are decoded."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.uploads import MB, UploadRefused, upload_inspect

LIMITS = {"image": 10, "video": 200, "pdf": 20}


def picture(fmt: str = "JPEG", size=(64, 48), mode="RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "red" if mode == "RGB" else 1).save(buffer, format=fmt)
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
MOV = b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  " + b"\x00" * 64


@pytest.mark.parametrize(
    ("name", "content", "kind", "content_type"),
    [
        ("photo.jpg", picture("JPEG"), "image", "image/jpeg"),
        ("screen.png", picture("PNG"), "image", "image/png"),
        ("photo.webp", picture("WEBP"), "image", "image/webp"),
        ("video.mp4", MP4, "video", "video/mp4"),
        ("video.mov", MOV, "video", "video/quicktime"),
        ("scheme.pdf", b"%PDF-1.7\n" + b"0" * 100, "pdf", "application/pdf"),
        # The name does not matter, only the content does.
        ("photo.txt", picture("PNG"), "image", "image/png"),
    ],
)
def test_accepted_files_get_their_type_from_the_content(name, content, kind, content_type):
    sniffed = upload_inspect(upload(name, content), limits_mb=LIMITS)

    assert (sniffed.kind, sniffed.content_type) == (kind, content_type)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "photo.jpg",
            b"<!doctype html><script>alert(1)</script>",
            "photo.jpg: такой тип файла не принимается — только JPEG, PNG, WebP, MP4, MOV или PDF.",
        ),
        (
            "run.png",
            b"#!/bin/sh\nrm -rf /\n",
            "run.png: такой тип файла не принимается — только JPEG, PNG, WebP, MP4, MOV или PDF.",
        ),
        ("empty.jpg", b"", "empty.jpg: файл пустой."),
        (
            "broken.jpg",
            b"\xff\xd8\xff\xe0" + b"garbage" * 20,
            "broken.jpg: изображение повреждено или не является изображением.",
        ),
        # PNG bytes behind a WebP header: the content contradicts itself.
        (
            "odd.webp",
            b"RIFF\x00\x00\x00\x00WEBP" + picture("PNG"),
            "odd.webp: изображение повреждено или не является изображением.",
        ),
    ],
)
def test_refused_files_say_why(name, content, message):
    with pytest.raises(UploadRefused) as refused:
        upload_inspect(upload(name, content), limits_mb=LIMITS)

    assert str(refused.value) == message


def test_image_over_10_mb_is_refused_before_it_is_opened():
    content = picture("JPEG") + b"\x00" * (10 * MB)

    with pytest.raises(UploadRefused, match=r"^big\.jpg: файл больше 10 МБ\.$"):
        upload_inspect(upload("big.jpg", content), limits_mb=LIMITS)


def test_video_may_be_larger_than_an_image_but_not_over_its_own_limit():
    assert upload_inspect(upload("v.mp4", MP4 + b"\x00" * (11 * MB)), limits_mb=LIMITS).kind == "video"
    with pytest.raises(UploadRefused, match=r"^v\.mp4: файл больше 1 МБ\.$"):
        upload_inspect(upload("v.mp4", MP4 + b"\x00" * (2 * MB)), limits_mb={**LIMITS, "video": 1})


def test_decompression_bomb_is_refused_without_decoding():
    bomb = picture("PNG", size=(8000, 8000), mode="1")
    assert len(bomb) < 100_000

    with pytest.raises(UploadRefused) as refused:
        upload_inspect(upload("bomb.png", bomb), limits_mb=LIMITS)

    assert str(refused.value) == "bomb.png: изображение слишком большое по размеру в пикселях (больше 40 Мп)."


def test_kind_not_in_the_limits_is_refused():
    with pytest.raises(UploadRefused, match="такой тип файла не принимается"):
        upload_inspect(upload("scheme.pdf", b"%PDF-1.7\n"), limits_mb={"image": 10})
