"""Service pages: the forms keep input and explain refusals, files are private, others' requests are 404."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.tests.factories import UserFactory
from core.models import StaffDownload
from service.models import EstimateLine, RepairAttachment, RepairRequest, ServiceSlot, WorkLine
from service.tests.conftest import jpeg
from service.tests.factories import InstallationRequestFactory, RepairRequestFactory, region, staff_with

pytestmark = pytest.mark.django_db

REPAIR_URL = "/service/repair/new/"
INSTALL_URL = "/service/installation/new/"


def repair_post(slot, /, **overrides) -> dict:
    data = {
        "region": region("77").pk,
        "equipment_model": "IP-камера уличная 4 Мп",
        "serial_number": "SN-123",
        "source": "other_shop",
        "symptoms": ["no_image", "power"],
        "description": "Пропадает картинка ночью",
        "repair_format": "visit",
        "address": "г. Москва, ул. Тверская, д. 7",
        "access_notes": "Домофон 12",
        "contact_name": "Ирина",
        "contact_phone": "+7 916 123-45-67",
        "slot": str(slot.pk),
        "action": "submit",
    }
    return {**data, **overrides}


def test_anonymous_is_sent_to_login(client):
    response = client.get(REPAIR_URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_repair_form_offers_the_regions_slots_and_the_paid_cost(client, customer, moscow_service):
    response = client.get(REPAIR_URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{moscow_service["visit_slot"].pk}"' in html
    assert "Куплено у нас" in html
    assert "2\u00a0400\u00a0₽" in html  # diagnostics 1 500 + visit 900 until a warranty is shown


def test_repair_with_a_photo_is_confirmed_and_its_file_is_private(client, customer, moscow_service):
    response = client.post(REPAIR_URL, repair_post(moscow_service["visit_slot"], attachments=[jpeg("cam.jpg")]))

    repair = RepairRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/service/requests/{repair.number}/"
    page = client.get(response["Location"])
    assert f"Заявка {repair.number} подтверждена" in page.content.decode()
    attachment = RepairAttachment.objects.get()
    assert (attachment.original_name, attachment.kind, attachment.content_type) == ("cam.jpg", "image", "image/jpeg")
    assert "/media/" not in page.content.decode()
    download = client.get(reverse("service:attachment", args=[attachment.token]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content)[:3] == b"\xff\xd8\xff"


def test_another_persons_request_and_file_are_404(client, customer, moscow_service):
    client.post(REPAIR_URL, repair_post(moscow_service["visit_slot"], attachments=[jpeg()]))
    repair = RepairRequest.objects.get()
    attachment = RepairAttachment.objects.get()
    client.force_login(UserFactory())

    assert client.get(repair.get_absolute_url()).status_code == 404
    assert client.get(reverse("service:attachment", args=[attachment.token])).status_code == 404
    assert client.post(reverse("service:decide", args=[repair.number]), {"decision": "approve"}).status_code == 404


def test_staff_who_may_view_repairs_download_a_customers_file_and_it_is_recorded(client, customer, moscow_service):
    client.post(REPAIR_URL, repair_post(moscow_service["visit_slot"], attachments=[jpeg("cam.jpg")]))
    attachment = RepairAttachment.objects.get()
    engineer = staff_with("view_repairrequest")
    client.force_login(engineer)

    response = client.get(reverse("service:attachment", args=[attachment.token]))

    assert response.status_code == 200
    record = StaffDownload.objects.get()
    assert (record.user, record.what, record.path) == (
        engineer,
        f"Файл «cam.jpg» заявки {attachment.request.number}",
        f"/service/files/{attachment.token}/",
    )


@pytest.mark.parametrize("permission", [None, "view_installationrequest"], ids=["no-permission", "installs-only"])
def test_staff_without_the_repair_permission_get_404_for_a_customers_file(client, customer, moscow_service, permission):
    client.post(REPAIR_URL, repair_post(moscow_service["visit_slot"], attachments=[jpeg()]))
    client.force_login(staff_with(permission) if permission else UserFactory(is_staff=True))

    response = client.get(reverse("service:attachment", args=[RepairAttachment.objects.get().token]))

    assert response.status_code == 404
    assert not StaffDownload.objects.exists()


def test_a_superuser_downloads_a_customers_file(client, customer, moscow_service):
    client.post(REPAIR_URL, repair_post(moscow_service["visit_slot"], attachments=[jpeg()]))
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.get(reverse("service:attachment", args=[RepairAttachment.objects.get().token]))

    assert response.status_code == 200
    assert StaffDownload.objects.count() == 1


def test_the_owner_downloading_a_file_leaves_no_staff_record(client, customer, moscow_service):
    client.post(REPAIR_URL, repair_post(moscow_service["visit_slot"], attachments=[jpeg()]))

    response = client.get(reverse("service:attachment", args=[RepairAttachment.objects.get().token]))

    assert response.status_code == 200
    assert not StaffDownload.objects.exists()


def bomb() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("1", (8000, 8000)).save(buffer, format="PNG")
    return SimpleUploadedFile("bomb.png", buffer.getvalue(), content_type="image/png")


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            lambda: [SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg")],
            "photo.jpg: такой тип файла не принимается — только JPEG, PNG, WebP, MP4, MOV или PDF.",
        ),
        (lambda: [jpeg(f"{i}.jpg") for i in range(11)], "Можно приложить не больше 10 файлов, а выбрано 11."),
        (
            lambda: [SimpleUploadedFile("big.jpg", jpeg().read() + b"\x00" * (10 * 1024 * 1024), "image/jpeg")],
            "big.jpg: файл больше 10 МБ.",
        ),
        (bomb, "bomb.png: изображение слишком большое по размеру в пикселях (больше 40 Мп)."),
        (lambda: [SimpleUploadedFile("empty.jpg", b"", "image/jpeg")], "empty.jpg: файл пустой."),
    ],
    ids=["renamed-html", "eleven-files", "oversize", "decompression-bomb", "empty"],
)
def test_refused_attachment_is_explained_and_the_rest_of_the_form_kept(
    client, customer, moscow_service, files, message
):
    uploads = files()
    response = client.post(
        REPAIR_URL,
        repair_post(moscow_service["visit_slot"], attachments=uploads if isinstance(uploads, list) else [uploads]),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'value="SN-123"' in html
    assert "Пропадает картинка ночью" in html
    assert RepairRequest.objects.count() == 0
    assert ServiceSlot.objects.get(pk=moscow_service["visit_slot"].pk).booked == 0


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        ({"equipment_model": ""}, "Укажите модель или артикул"),
        ({"sku": "NO-SUCH"}, "Товара с таким артикулом нет в нашем каталоге"),
        ({"symptoms": []}, "Отметьте хотя бы один признак неисправности"),
        ({"symptoms": ["other"], "description": ""}, "Опишите, что происходит"),
        ({"address": ""}, "Укажите адрес"),
        ({"repair_format": "intake"}, "Выберите сервис-центр"),
        ({"slot": ""}, "Выберите время из списка"),
        ({"slot": "999999"}, "Выберите время из списка"),
        ({"purchase_date": "2099-01-01"}, "Дата покупки не может быть в будущем"),
        ({"contact_phone": "12"}, "телефон"),
        ({"description": "a\x00b"}, "запрещённый символ: ноль-байт"),
        ({"region": "999999"}, "Выберите корректный вариант"),
        ({"repair_format": "teleport"}, "Выберите корректный вариант"),
    ],
)
def test_wrong_repair_input_is_explained_beside_its_field(client, customer, moscow_service, overrides, field_message):
    response = client.post(REPAIR_URL, repair_post(moscow_service["visit_slot"], **overrides))

    html = response.content.decode()
    assert response.status_code == 200
    assert field_message.lower() in html.lower()
    assert 'value="Ирина"' in html
    assert RepairRequest.objects.count() == 0


def test_slot_taken_meanwhile_is_explained_beside_the_slot(client, customer, moscow_service):
    slot = moscow_service["visit_slot"]
    ServiceSlot.objects.filter(pk=slot.pk).update(capacity=2)
    form_data = repair_post(slot)
    client.get(REPAIR_URL)
    ServiceSlot.objects.filter(pk=slot.pk).update(capacity=1, booked=1)

    response = client.post(REPAIR_URL, form_data)

    assert "Выберите время из списка" in response.content.decode()
    assert RepairRequest.objects.count() == 0


def test_recalculation_with_a_sku_and_a_date_promises_a_check_and_the_cost_without_errors(
    client, customer, moscow_service
):
    from catalog.tests.factories import ProductFactory

    ProductFactory(sku="CAM-4MP", warranty_months=24)
    data = {"region": region("77").pk, "source": "ours", "sku": "CAM-4MP", "purchase_date": "2026-06-01"}

    response = client.post(REPAIR_URL, {**data, "action": "refresh"})

    html = response.content.decode()
    assert "Гарантию проверим при приёме" in html
    assert "Гарантийный ремонт — бесплатно" not in html
    assert "2\u00a0400\u00a0₽" in html
    assert "invalid-feedback" not in html


def test_customer_approves_the_cost_on_the_request_page(client, customer):
    repair = RepairRequestFactory(user=customer, status="approval", repair_cost=Decimal("4500"), diagnosis="Замена БП")

    page = client.get(repair.get_absolute_url())
    response = client.post(reverse("service:decide", args=[repair.number]), {"decision": "approve"})

    assert "4\u00a0500\u00a0₽" in page.content.decode()
    assert response.status_code == 302
    repair.refresh_from_db()
    assert (repair.status, repair.cost_decision) == ("repair", "approved")


def test_unknown_request_number_is_404(client, customer):
    assert client.get("/service/requests/X-1/").status_code == 404
    assert client.get("/service/requests/R-999999/").status_code == 404


def install_post(moscow_service, packages, **overrides) -> dict:
    data = {
        "region": region("77").pk,
        "object_type": "",
        "area_m2": "120",
        "floors": "1",
        "goals": ["video"],
        "equipment": "turnkey",
        "desired_date": moscow_service["install_slot"].starts_at.date().isoformat(),
        "package": str(packages["optimal"].pk),
        "address": "г. Москва, ул. Тверская, д. 7",
        "contact_name": "Ирина",
        "contact_phone": "+79161234567",
        "slot": str(moscow_service["install_slot"].pk),
        "action": "submit",
    }
    return {**data, **overrides}


def test_installation_recalculation_shows_three_packages_and_the_crews_of_the_date(
    client, customer, moscow_service, packages_and_rules
):
    data = install_post(moscow_service, packages_and_rules, action="refresh", package="", slot="")

    html = client.post(INSTALL_URL, data).content.decode()

    for name in ["Базовый", "Оптимальный", "Премиум"]:
        assert name in html
    # 120 m²: Basic 2 cameras, Optimal 3, Premium 4, at 2 500 ₽ each, plus setup 3 000 ₽; cloud in Premium only.
    for package, total in [
        ("basic", "8\u00a0000\u00a0₽"),
        ("optimal", "10\u00a0500\u00a0₽"),
        ("premium", "13\u00a0000\u00a0₽"),
    ]:
        card = html.split(f'data-testid="package-{package}"')[1].split("</details>")[0]
        assert total in card
    assert "490\u00a0₽ в месяц" in html
    assert "Бригада Иванова" in html


def test_installation_is_confirmed_with_the_chosen_package(client, customer, moscow_service, packages_and_rules):
    response = client.post(INSTALL_URL, install_post(moscow_service, packages_and_rules))

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Заявка U-000001 подтверждена" in page
    assert "Другое, 120 м², 1 этаж<" in page
    assert "Бригада Иванова" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"area_m2": "0"}, "Площадь должна быть больше нуля"),
        ({"area_m2": "много"}, "Укажите площадь целым числом"),
        ({"floors": "0"}, "Этажей не меньше одного"),
        ({"goals": []}, "Отметьте хотя бы одну цель"),
        ({"package": ""}, "Выберите пакет"),
        ({"desired_date": "2020-01-01"}, "Выберите дату не раньше завтрашнего дня"),
        ({"equipment": "own"}, "Перечислите оборудование"),
        ({"slot": ""}, "Выберите время из списка"),
    ],
)
def test_wrong_installation_input_is_explained(
    client, customer, moscow_service, packages_and_rules, overrides, message
):
    response = client.post(INSTALL_URL, install_post(moscow_service, packages_and_rules, **overrides))

    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "г. Москва, ул. Тверская, д. 7" in html


def test_request_list_shows_both_kinds(client, customer, moscow_service, packages_and_rules):
    client.post(REPAIR_URL, repair_post(moscow_service["visit_slot"]))
    client.post(INSTALL_URL, install_post(moscow_service, packages_and_rules))

    html = client.get("/service/requests/").content.decode()

    assert "R-000001" in html and "U-000001" in html
    assert ">2 заявки<" in html


def test_package_withdrawn_while_the_customer_decides_is_explained(
    client, customer, moscow_service, packages_and_rules
):
    data = install_post(moscow_service, packages_and_rules)
    packages_and_rules["optimal"].is_active = False
    packages_and_rules["optimal"].save()

    response = client.post(INSTALL_URL, data)

    assert response.status_code == 200
    assert "Выберите корректный вариант" in response.content.decode()
    assert ServiceSlot.objects.get(pk=moscow_service["install_slot"].pk).booked == 0


def test_profile_links_to_my_requests(client, customer):
    html = client.get(reverse("accounts:profile")).content.decode()

    assert '<a href="/service/requests/">Мои заявки на ремонт и установку</a>' in html


def test_installation_page_shows_the_final_agreed_lines_above_the_estimate(client, customer):
    installation = InstallationRequestFactory(user=customer, status="installing", one_time_total=Decimal("7500.00"))
    EstimateLine.objects.create(
        request=installation,
        package=installation.package,
        section="works",
        name="Монтаж камеры",
        unit="шт",
        quantity=3,
        price=2500,
        total=7500,
    )
    before = client.get(installation.get_absolute_url()).content.decode()
    WorkLine.objects.create(
        request=installation, section="works", name="Монтаж камеры", unit="шт", quantity=4, price=2500, position=0
    )
    WorkLine.objects.create(
        request=installation, section="materials", name="Кронштейн", unit="шт", quantity=2, price=450, position=1
    )
    WorkLine.objects.create(
        request=installation, section="extras", name="Облачная запись", unit="мес", quantity=1, price=490, position=2
    )

    after = client.get(installation.get_absolute_url()).content.decode().replace("\xa0", " ")

    assert 'data-testid="work-lines"' not in before and "<th>Смета</th>" in before
    final = after[after.index('data-testid="work-lines"') : after.index('data-testid="estimate-lines"')]
    assert "Итоговая стоимость, согласованная с вами" in final
    assert "Монтаж камеры<span" in final and "4 шт × 2 500 ₽" in final and "10 000 ₽" in final
    assert "Кронштейн<span" in final and "2 шт × 450 ₽" in final and "490 ₽/мес" in final
    # 4 × 2 500 + 2 × 450, the monthly cloud apart; the estimate's 7 500 stays below as the preliminary one.
    assert 'data-testid="work-lines-total">10 900 ₽' in final
    assert "Предварительная смета" in after and "7 500 ₽" in after
