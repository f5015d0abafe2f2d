from django.db import migrations, models

SERVICE_CATEGORY = "montazh-i-servis"


def mark_services(apps, schema_editor):
    """Products under «Монтаж и сервис» are work, not goods."""
    Category = apps.get_model("catalog", "Category")
    Product = apps.get_model("catalog", "Product")
    top = Category.objects.filter(slug=SERVICE_CATEGORY).values_list("pk", flat=True)
    Product.objects.filter(models.Q(category__in=top) | models.Q(category__parent__in=top)).update(is_service=True)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0006_vat_rates"),
    ]

    operations = [
        migrations.AddField(
            model_name="product",
            name="is_service",
            field=models.BooleanField(
                default=False, help_text="Работа, а не товар: у неё нет остатков на складе.", verbose_name="услуга"
            ),
        ),
        migrations.RunPython(mark_services, migrations.RunPython.noop),
    ]
