import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """Every record now names its text; the bare version string goes, and records outlive nothing."""

    dependencies = [
        ("accounts", "0004_consent_texts"),
    ]

    operations = [
        migrations.AlterField(
            model_name="consentrecord",
            name="text",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="records",
                to="accounts.consenttext",
                verbose_name="текст",
            ),
        ),
        migrations.RemoveField(model_name="consentrecord", name="version"),
        migrations.AlterField(
            model_name="consentrecord",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="consents",
                to=settings.AUTH_USER_MODEL,
                verbose_name="пользователь",
            ),
        ),
    ]
