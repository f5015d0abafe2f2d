import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

from accounts.consent_texts import load_published


def link_records(apps, schema_editor):
    """Store the published texts in full and point every existing record at the version it accepted."""
    ConsentText = apps.get_model("accounts", "ConsentText")
    ConsentRecord = apps.get_model("accounts", "ConsentRecord")
    load_published(ConsentText)
    for version in ConsentRecord.objects.values_list("version", flat=True).distinct():
        text = ConsentText.objects.filter(kind="personal_data", version=version).first()
        if text is None:
            text = ConsentText.objects.get(kind="personal_data", version="2025-09-01")
        ConsentRecord.objects.filter(version=version).update(text=text)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_region_in_core"),
    ]

    operations = [
        migrations.CreateModel(
            name="ConsentText",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[("personal_data", "Обработка персональных данных")],
                        max_length=30,
                        verbose_name="вид согласия",
                    ),
                ),
                ("version", models.CharField(max_length=20, verbose_name="версия")),
                ("title", models.CharField(max_length=200, verbose_name="заголовок")),
                ("body", models.TextField(verbose_name="полный текст (HTML)")),
                (
                    "published_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="опубликован"),
                ),
            ],
            options={
                "verbose_name": "текст согласия",
                "verbose_name_plural": "тексты согласий",
                "ordering": ["-published_at", "-pk"],
                "constraints": [
                    models.UniqueConstraint(fields=("kind", "version"), name="consent_text_kind_version_unique")
                ],
            },
        ),
        migrations.AddField(
            model_name="consentrecord",
            name="text",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="records",
                to="accounts.consenttext",
                verbose_name="текст",
            ),
        ),
        migrations.RunPython(link_records, migrations.RunPython.noop),
    ]
