"""Files people attach from phones and computers: MPO photos kept as JPEG, PDFs with scripts refused."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.tests.test_uploads_pdf_mpo import JS_ACTION, PAGE, PAGES, mpo, pdf
from service.models import RepairAttachment, RepairRequest
from service.tests.test_views import REPAIR_URL, repair_post

pytestmark = pytest.mark.django_db


def test_an_mpo_photo_from_a_phone_is_attached_as_a_jpeg(client, customer, moscow_service):
    photo = SimpleUploadedFile("IMG_0042.MPO", mpo(), content_type="image/jpeg")

    response = client.post(REPAIR_URL, repair_post(moscow_service["visit_slot"], attachments=[photo]))

    assert response.status_code == 302
    attachment = RepairAttachment.objects.get()
    assert (attachment.original_name, attachment.kind, attachment.content_type) == (
        "IMG_0042.jpg",
        "image",
        "image/jpeg",
    )
    with attachment.file.open("rb") as handle, Image.open(io.BytesIO(handle.read())) as kept:
        assert kept.format == "JPEG" and getattr(kept, "n_frames", 1) == 1
    assert attachment.size == attachment.file.size


def test_a_pdf_with_javascript_is_refused_beside_the_files_field(client, customer, moscow_service):
    scheme = pdf(b"<< /Type /Catalog /Pages 2 0 R /OpenAction " + JS_ACTION + b" >>", PAGES, PAGE)

    response = client.post(
        REPAIR_URL,
        repair_post(moscow_service["visit_slot"], attachments=[SimpleUploadedFile("scheme.pdf", scheme)]),
    )

    html = response.content.decode()
    assert response.status_code == 200 and RepairRequest.objects.count() == 0
    message = "scheme.pdf: PDF содержит JavaScript — такие файлы не принимаются."
    assert message in html
    assert html.index('id="id_attachments"') < html.index(message) < html.index("Файлы видны только вам")
