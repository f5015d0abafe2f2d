from django.db import migrations, models


class Migration(migrations.Migration):
    """Regions moved to core; warehouses keep serving them through the same tables."""

    dependencies = [
        ("catalog", "0004_product_sku_upper"),
        ("core", "0001_initial"),
        ("accounts", "0003_region_in_core"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="warehouse",
                    name="regions",
                    field=models.ManyToManyField(
                        blank=True, related_name="warehouses", to="core.region", verbose_name="обслуживает регионы"
                    ),
                ),
                migrations.DeleteModel(name="Region"),
            ],
        ),
    ]
