from django.conf import settings
from django.db import migrations


def name_the_site(apps, schema_editor):
    """Emails and links name the shop, not example.com."""
    Site = apps.get_model("sites", "Site")
    Site.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": settings.SHOP_DOMAIN, "name": settings.SHOP_NAME}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [migrations.RunPython(name_the_site, migrations.RunPython.noop)]
