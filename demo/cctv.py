"""The CCTV figures the configurator reads: attributes of the demo cameras and recorders, and the parts the
demo catalogue lacked (disks, a PoE switch, cable and connectors for IP and for HD-TVI/AHD cameras, power supplies
for the cameras that take no PoE, mounting boxes, two cameras and a recorder), with
stock in both demo warehouses so a passing kit, «Оптимальный» and «Надёжный», is found in Moscow and
Saint Petersburg. Runs after `demo_catalog_seed`; running it again changes nothing."""

# ruff: noqa: E501
# fmt: off

import random
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction

from catalog.importing import slugify_ru
from catalog.models import Attribute, Brand, Category, Product, ProductAttributeValue, ProductImage, Stock, Warehouse
from catalog.services import product_refresh_search
from configurator.selectors import ATTRIBUTES as CCTV_ATTRIBUTES
from demo.images import product_picture

IP, ANALOG, HYBRID = "IP", "HD-TVI, AHD", "HD-TVI, AHD, IP"
YES, NO = "да", "нет"


def camera(family, codec, main, sub, poe, watts, outdoor):
    values = {"cctv-role": "камера", "cctv-family": family, "codec": codec, "main-stream": main, "sub-stream": sub, "outdoor": outdoor}
    if poe:
        values.update({"poe-class": poe, "poe-watts": watts})
    return values


def recorder(family, incoming, bays, max_disk, poe_budget=None, standard=None):
    values = {"cctv-role": "регистратор", "cctv-family": family, "incoming-bandwidth": incoming, "hdd-bays": bays, "max-disk": max_disk}
    if poe_budget:
        values.update({"poe-budget": poe_budget, "poe-standard": standard})
    return values


# Figures for products of the demo catalogue, by SKU (stated streams as the makers publish them).
EXISTING = {
    "HW-DS-I200E-28": camera(IP, "H.265+", "2", "0.5", "802.3af", "5", YES),
    "HW-DS-I203E-28": camera(IP, "H.265+", "2", "0.5", "802.3af", "5", YES),
    "HW-DS-I450M-28": camera(IP, "H.265+", "3", "0.5", "802.3af", "6", YES),
    "HW-IPC-T020B-28": camera(IP, "H.265", "2", "0.5", "802.3af", "4", NO),
    "HIK-2CD2143G2-IS": camera(IP, "H.265+", "4", "1", "802.3af", "7", YES),
    "HIK-2CD2043G2-I": camera(IP, "H.265+", "4", "1", "802.3af", "6.5", YES),
    "HIK-2CD2T87G2-L": camera(IP, "H.265+", "8", "1", "802.3af", "9", YES),
    "HIK-2DE2A404IW-DE3": camera(IP, "H.265+", "4", "1", "802.3at", "18", YES),
    "DH-IPC-HFW2431SP": camera(IP, "H.265", "4", "0.5", "802.3af", "5.2", YES),
    "DH-IPC-HDW2231TP-AS": camera(IP, "H.265", "2", "0.5", "802.3af", "4.5", YES),
    "DH-IPC-HFW3841T-ZAS": camera(IP, "H.265", "8", "1", "802.3af", "10.5", YES),
    "RVI-1NCT4054-28": camera(IP, "H.265", "4", "0.5", "802.3af", "5", YES),
    "RVI-1NCD2079-28": camera(IP, "H.265", "2", "0.5", "802.3af", "4", NO),
    "TAN-TSI-PLE2FP": camera(IP, "H.264", "", "", "802.3af", "4.5", YES),
    # Analog cameras: the figures are the stream the hybrid recorder encodes them into.
    "HW-DS-T200B-28": camera(ANALOG, "H.265", "2", "0.5", None, None, YES),
    "HW-DS-T203B-28": camera(ANALOG, "H.265", "2", "0.5", None, None, NO),
    "HIK-2CE76D0T-ITPF": camera("HD-TVI", "H.265", "2", "0.5", None, None, NO),
    "HIK-2CE16H0T-IT3F": camera(ANALOG, "H.265", "4", "0.5", None, None, YES),
    "RVI-1ACE202-28": camera("AHD", "H.265", "2", "0.5", None, None, NO),
    "TAN-TSC-P1080PUVCF": camera(ANALOG, "H.265", "2", "0.5", None, None, YES),
    "FE-MHD-B2-25": camera(ANALOG, "H.265", "2", "0.5", None, None, YES),
    "HW-DS-N204C": recorder(IP, "40", "1", "6"),
    "HW-DS-N208P-C": recorder(IP, "80", "1", "8", "80", "802.3af"),
    "HIK-7608NXI-K2": recorder(IP, "80", "2", "10"),
    "HIK-7104HQHI-K1": recorder(HYBRID, "24", "1", "6"),
    "DH-NVR2108HS-8P-S3": recorder(IP, "80", "1", "10", "96", "802.3at"),
    "DH-NVR4116HS-4KS2": recorder(IP, "160", "1", "10"),
    "DH-XVR5108HS-I3": recorder(HYBRID, "48", "1", "10"),
    "RVI-1NR08120": recorder(IP, "64", "1", "8"),
    "HIK-7732NI-K4-16P": recorder(IP, "256", "4", "10", "200", "802.3at"),
}

# New subcategories under «Видеонаблюдение»: slug, name, icon, description, filter attributes.
CATEGORIES = [
    ("zhestkie-diski", "Жёсткие диски", "device-hdd", "Диски для видеонаблюдения: круглосуточная запись, 1–8 ТБ.", ("disk-capacity",)),
    ("kommutatory-poe", "PoE-коммутаторы", "diagram-3", "Коммутаторы, которые питают IP-камеры по сетевому кабелю.", ("poe-ports", "poe-budget")),
    ("kabel-i-montazh", "Кабель и монтаж", "plug", "Кабель, разъёмы, блоки питания и монтажные коробки для камер.", ()),
]

# sku, name, brand, price, category, shape, attributes, (Moscow, Saint Petersburg) units
NEW = [
    ("HW-DS-I456Z", "IP-камера HiWatch DS-I456Z 4 Мп, моторизованный объектив 2.8–12 мм", "HiWatch", 12490, "ip-kamery", "bullet",
     {"resolution": "4", "housing": "цилиндрическая", "focal-length": "2.8–12", "view-angle": "102–33", "ir-range": "50", "power": "PoE", "ip-rating": "IP67", "protocol": "проводной",
      **camera(IP, "H.265+", "4", "0.5", "802.3af", "9", YES)}, (40, 24)),
    ("HIK-2CD1043G2-IUF", "IP-камера Hikvision DS-2CD1043G2-IUF 4 Мп с микрофоном, 2.8 мм", "Hikvision", 6490, "ip-kamery", "bullet",
     {"resolution": "4", "housing": "цилиндрическая", "focal-length": "2.8", "view-angle": "103", "ir-range": "30", "power": "PoE", "ip-rating": "IP67", "protocol": "проводной",
      **camera(IP, "H.265+", "3", "0.5", "802.3af", "5", YES)}, (60, 30)),
    ("HW-DS-N308-2D", "Видеорегистратор IP HiWatch DS-N308/2(D) 8 каналов, 2 HDD", "HiWatch", 9990, "videoregistratory", "recorder",
     {"channels": "8", "signal": "IP", "resolution": "8", "poe-ports": "нет", **recorder(IP, "80", "2", "10")}, (25, 15)),
    ("WD-PURPLE-4TB", "Жёсткий диск WD Purple 4 ТБ WD43PURZ", "Western Digital", 9490, "zhestkie-diski", "recorder",
     {"cctv-role": "диск", "disk-capacity": "4", "surveillance": YES}, (50, 30)),
    ("ST-SKYHAWK-6TB", "Жёсткий диск Seagate SkyHawk 6 ТБ ST6000VX009", "Seagate", 13990, "zhestkie-diski", "recorder",
     {"cctv-role": "диск", "disk-capacity": "6", "surveillance": YES}, (30, 20)),
    ("DH-PFS3010-8ET-96", "PoE-коммутатор Dahua DH-PFS3010-8ET-96 8 портов PoE+", "Dahua", 7990, "kommutatory-poe", "switch",
     {"cctv-role": "коммутатор", "poe-ports": "8", "poe-budget": "96", "poe-standard": "802.3at", "uplink": "2 × 1 Гбит/с"}, (30, 15)),
    ("UTP5E-305", "Кабель витая пара UTP cat 5e для улицы, бухта 305 м", None, 7490, "kabel-i-montazh", "box",
     {"cctv-role": "кабель", "cctv-family": IP, "pack-size": "305"}, (40, 20)),
    ("RJ45-8P8C-20", "Коннектор RJ-45 8P8C экранированный, 20 шт.", None, 390, "kabel-i-montazh", "box",
     {"cctv-role": "разъём", "cctv-family": IP, "pack-size": "20"}, (90, 60)),
    ("RG59-2X075-200", "Кабель комбинированный RG-59 + питание 2×0,75 мм² для аналоговых камер, бухта 200 м", None, 6490, "kabel-i-montazh", "box",
     {"cctv-role": "кабель", "cctv-family": ANALOG, "pack-size": "200"}, (30, 20)),
    ("BNC-F-RG59-20", "Разъём BNC-F под винт для кабеля RG-59, 20 шт.", None, 490, "kabel-i-montazh", "box",
     {"cctv-role": "разъём", "cctv-family": ANALOG, "pack-size": "20"}, (60, 40)),
    ("PSU-12V-5A-4CH", "Блок питания 12 В 5 А на 4 камеры, в боксе, с разветвителями питания", None, 1890, "kabel-i-montazh", "box",
     {"cctv-role": "блок питания", "pack-size": "4"}, (40, 25)),
    ("BOX-CAM-IP66", "Монтажная коробка для уличной камеры IP66", None, 690, "kabel-i-montazh", "box",
     {"cctv-role": "монтажная коробка", "pack-size": "1"}, (90, 60)),
]
BRANDS = [("Western Digital", "western-digital", "США"), ("Seagate", "seagate", "США")]
assert len(NEW) <= 12, "the demo catalogue stays within 150 products"


@transaction.atomic
def demo_cctv_seed(*, images: bool = True) -> int:
    """Give the demo catalogue the CCTV figures and parts the configurator needs; return the new products.
    Its saves reach the caches through catalog.changes."""
    attributes = _attributes_ensure()
    for name, slug, country in BRANDS:
        Brand.objects.get_or_create(name=name, defaults={"slug": slug, "country": country})
    brands = {brand.name: brand for brand in Brand.objects.all()}
    categories = _categories_ensure(attributes)
    warehouses = list(Warehouse.objects.filter(code__in=["msk", "spb"]).order_by("code"))
    created = 0
    for sku, values in EXISTING.items():
        product = Product.objects.filter(sku=sku).first()
        if product is not None:
            _values_set(product, values, attributes)
    touched = []
    for sku, name, brand, price, category, shape, values, (moscow, petersburg) in NEW:
        product, was_created = Product.objects.update_or_create(
            sku=sku,
            defaults={
                "name": name,
                "slug": slugify_ru(name)[:240],
                "category": categories[category],
                "brand": brands.get(brand),
                "price": Decimal(price),
                "description": f"{name}. Подходит для комплектов конфигуратора видеонаблюдения.",
                "popularity": random.Random(sku).randint(50, 600),
                "warranty_months": 36 if brand else 12,
                "is_active": True,
            },
        )
        created += was_created
        touched.append(product.pk)
        _values_set(product, values, attributes)
        for warehouse, quantity in zip(warehouses, (moscow, petersburg), strict=False):
            Stock.objects.get_or_create(product=product, warehouse=warehouse, defaults={"quantity": quantity})
        if images and not product.images.exists():
            data = product_picture(shape=shape, brand=brand or "", model=name, variant=0, companion="")
            ProductImage.objects.create(product=product, image=ContentFile(data, name=f"{product.slug[:80]}-1.jpg"), alt=name)
    product_refresh_search(product_ids=touched)
    return created


def _attributes_ensure() -> dict[str, Attribute]:
    attributes = {a.slug: a for a in Attribute.objects.all()}
    start = max((a.position for a in attributes.values()), default=0) + 1
    for offset, (slug, name, unit) in enumerate(CCTV_ATTRIBUTES):
        if slug not in attributes:
            attributes[slug] = Attribute.objects.create(slug=slug, name=name, unit=unit, position=start + offset)
    for slug, name, unit in [("hdd-bays", "Отсеки HDD", ""), ("poe-ports", "Порты PoE", ""), ("channels", "Количество каналов", "")]:
        if slug not in attributes:
            attributes[slug] = Attribute.objects.create(slug=slug, name=name, unit=unit)
    return attributes


def _categories_ensure(attributes) -> dict[str, Category]:
    categories = {c.slug: c for c in Category.objects.filter(slug__in=["ip-kamery", "analogovye-kamery", "videoregistratory"])}
    parent = Category.objects.filter(slug="videonablyudenie").first()
    start = Category.objects.count() + 100
    for offset, (slug, name, icon, description, filters) in enumerate(CATEGORIES):
        category, _ = Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "parent": parent, "icon": icon, "description": description, "position": start + offset}
        )
        category.filter_attributes.set([attributes[f] for f in filters if f in attributes])
        categories[slug] = category
    return categories


def _values_set(product: Product, values: dict[str, str], attributes: dict[str, Attribute]) -> None:
    for slug, value in values.items():
        if value in (None, ""):
            continue
        ProductAttributeValue.objects.update_or_create(product=product, attribute=attributes[slug], defaults={"value": value})
