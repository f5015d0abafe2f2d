import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """The profile's region now points at core.Region, the same table as before."""

    dependencies = [
        ("accounts", "0002_profile_company_consent"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="user",
                    name="region",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="core.region",
                        verbose_name="регион",
                    ),
                ),
            ],
        ),
    ]
