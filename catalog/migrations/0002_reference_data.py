from django.db import migrations

from catalog.data.regions import OBJECT_TYPES, REGIONS, TOP_CATEGORIES


def load(apps, schema_editor):
    Region = apps.get_model("catalog", "Region")
    ObjectType = apps.get_model("catalog", "ObjectType")
    Category = apps.get_model("catalog", "Category")
    for code, name in REGIONS:
        Region.objects.update_or_create(code=code, defaults={"name": name})
    for position, (slug, name) in enumerate(OBJECT_TYPES):
        ObjectType.objects.update_or_create(slug=slug, defaults={"name": name, "position": position})
    for position, (slug, name, icon) in enumerate(TOP_CATEGORIES):
        Category.objects.get_or_create(slug=slug, defaults={"name": name, "icon": icon, "position": position})


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
