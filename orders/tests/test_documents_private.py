"""Order documents live in private storage under random names and leave only through the document view."""

import re
import uuid

import boto3
import pytest
import requests
from django.conf import settings
from django.core.files.base import ContentFile
from django.http import Http404
from django.test import RequestFactory
from django.views.static import serve

from accounts.tests.factories import UserFactory
from core.models import StaffDownload
from core.storage import private_storage
from orders.models import DocumentKind, OrderDocument
from orders.services import order_mark_paid
from orders.services.documents import order_documents_make
from orders.tests.factories import cart_of, place, seller

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_order(moscow_delivery, stocked_product):
    seller()
    owner = UserFactory()
    order = place(cart_of((stocked_product(quantity=5), 1), user=owner), moscow_delivery["point"], user=owner)
    order_mark_paid(order_id=order.pk)
    order_documents_make(order_id=order.pk)
    return order


def test_documents_get_random_names_in_private_storage(paid_order):
    for document in OrderDocument.objects.all():
        assert re.fullmatch(r"documents/[0-9a-f]{32}\.pdf", document.file.name)
        assert paid_order.number not in document.file.name
        assert document.file.storage is private_storage()
        assert private_storage().exists(document.file.name)
        with pytest.raises(ValueError):
            document.file.url  # noqa: B018


def test_no_stored_document_answers_at_a_media_address(paid_order, client):
    """What `make run` serves under MEDIA_URL (and nginx or the bucket in production) holds no document."""
    names = list(OrderDocument.objects.values_list("file", flat=True))
    assert len(names) == 2
    for name in names:
        assert client.get(settings.MEDIA_URL + name).status_code == 404
        request = RequestFactory().get(settings.MEDIA_URL + name)
        with pytest.raises(Http404):
            serve(request, path=name, document_root=settings.MEDIA_ROOT)


def test_the_owner_and_staff_download_a_document_and_staff_downloads_are_recorded(paid_order, client):
    url = f"/orders/{paid_order.number}/documents/{DocumentKind.RECEIPT}.pdf"
    assert client.get(url).status_code == 404

    client.force_login(paid_order.user)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert not StaffDownload.objects.exists()

    manager = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(manager)
    assert client.get(url).status_code == 200
    download = StaffDownload.objects.get()
    assert (download.user, download.path) == (manager, url)
    assert download.what == f"Чек к заказу {paid_order.number}"

    client.force_login(UserFactory(is_staff=True))  # staff without the right to see orders
    assert client.get(url).status_code == 404


def test_making_documents_again_keeps_their_names(paid_order):
    names = dict(OrderDocument.objects.values_list("kind", "file"))
    files_before = set(private_storage().listdir("documents")[1])

    order_documents_make(order_id=paid_order.pk)

    assert dict(OrderDocument.objects.values_list("kind", "file")) == names
    assert set(private_storage().listdir("documents")[1]) == files_before


def test_the_migration_moves_public_documents_to_private_storage_under_new_names(paid_order):
    import importlib

    from django.apps import apps
    from django.core.files.storage import storages

    migration = importlib.import_module("orders.migrations.0004_private_documents")
    public = storages["default"]
    document = OrderDocument.objects.get(kind=DocumentKind.RECEIPT)
    old = public.save(f"documents/receipt-{paid_order.number}.pdf", ContentFile(b"%PDF-1.7 old"))
    OrderDocument.objects.filter(pk=document.pk).update(file=old)
    OrderDocument.objects.filter(kind=DocumentKind.WARRANTY).update(file="documents/lost.pdf")

    migration.move_to_private(apps, None)

    document.refresh_from_db()
    assert re.fullmatch(r"documents/[0-9a-f]{32}\.pdf", document.file.name)
    assert not public.exists(old)
    with private_storage().open(document.file.name, "rb") as handle:
        assert handle.read() == b"%PDF-1.7 old"
    # A document whose file was lost is dropped, and the sweep makes it again.
    assert not OrderDocument.objects.filter(kind=DocumentKind.WARRANTY).exists()


@pytest.fixture
def s3_server():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def test_the_bucket_keeps_documents_private_and_hands_out_only_signed_addresses(s3_server, monkeypatch):
    from core.storage_s3 import PrivateS3Storage

    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    bucket = f"shop-{uuid.uuid4().hex[:8]}"
    boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1").create_bucket(Bucket=bucket)
    storage = PrivateS3Storage(bucket_name=bucket, endpoint_url=s3_server, region_name="us-east-1")

    name = storage.save("documents/x.pdf", ContentFile(b"%PDF-1.7 invoice"))

    assert name == "documents/x.pdf"
    key = f"private/{name}"
    acl = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1").get_object_acl(Bucket=bucket, Key=key)
    assert [grant["Permission"] for grant in acl["Grants"]] == ["FULL_CONTROL"]  # the owner only
    signed = storage.url(name)
    assert "Signature=" in signed and "Expires=" in signed
    assert storage.querystring_expire == 60
    assert requests.get(signed, timeout=5).content == b"%PDF-1.7 invoice"
    assert requests.get(f"{s3_server}/{bucket}/{key}", timeout=5).status_code == 403
