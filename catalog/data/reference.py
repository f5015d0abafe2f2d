"""Reference data every shop has: object types and the top-level categories (regions live in core)."""

from core.regions import load_regions

OBJECT_TYPES = [("apartment", "Квартира"), ("house", "Дом"), ("office", "Офис"), ("warehouse", "Склад")]

TOP_CATEGORIES = [
    ("videonablyudenie", "Видеонаблюдение", "camera-video"),
    ("okhrannaya-signalizatsiya", "Охранная сигнализация", "shield-lock"),
    ("datchiki", "Датчики (дым, утечка)", "droplet"),
    ("umnyj-dom", "Умный дом", "house-gear"),
    ("gotovye-komplekty", "Готовые комплекты", "box-seam"),
    ("montazh-i-servis", "Монтаж и сервис", "tools"),
]


def load_reference_data(*, region_model, object_type_model, category_model) -> None:
    """Create or update the regions, object types and top-level categories; safe to repeat."""
    load_regions(region_model)
    for position, (slug, name) in enumerate(OBJECT_TYPES):
        object_type_model.objects.update_or_create(slug=slug, defaults={"name": name, "position": position})
    for position, (slug, name, icon) in enumerate(TOP_CATEGORIES):
        category_model.objects.get_or_create(slug=slug, defaults={"name": name, "icon": icon, "position": position})
