from django.db import migrations, models


def move_content_type(apps, schema_editor):
    """Permissions and admin log entries of the region follow it from catalog to core."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="core", model="region").exists():
        ContentType.objects.filter(app_label="catalog", model="region").update(app_label="core")


class Migration(migrations.Migration):
    """Take over the region table that catalog created; the table itself stays as it is."""

    initial = True

    dependencies = [
        ("catalog", "0004_product_sku_upper"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Region",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("code", models.CharField(max_length=2, unique=True, verbose_name="код")),
                        ("name", models.CharField(max_length=100, unique=True, verbose_name="название")),
                    ],
                    options={
                        "verbose_name": "регион",
                        "verbose_name_plural": "регионы",
                        "db_table": "catalog_region",
                        "ordering": ["name"],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_type, migrations.RunPython.noop),
    ]
