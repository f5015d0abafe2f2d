from django.db import migrations

from catalog.data.reference import load_reference_data


def load(apps, schema_editor):
    load_reference_data(
        region_model=apps.get_model("catalog", "Region"),
        object_type_model=apps.get_model("catalog", "ObjectType"),
        category_model=apps.get_model("catalog", "Category"),
    )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
