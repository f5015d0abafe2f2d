import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import migrations, models

import core.storage
import orders.models


def move_to_private(apps, schema_editor):
    """Move every document out of public media into private storage under a new random name.

    A document whose file is gone is dropped: the sweep (`orders.documents_sweep`) makes it again.
    """
    OrderDocument = apps.get_model("orders", "OrderDocument")
    public = storages["default"]
    private = core.storage.private_storage()
    for document in OrderDocument.objects.order_by("pk").iterator():
        old = document.file.name
        if not old or not public.exists(old):
            document.delete()
            continue
        with public.open(old, "rb") as handle:
            new = private.save(f"documents/{uuid.uuid4().hex}.pdf", ContentFile(handle.read()))
        OrderDocument.objects.filter(pk=document.pk).update(file=new)
        public.delete(old)


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0003_order_secret"),
    ]

    operations = [
        migrations.AlterField(
            model_name="orderdocument",
            name="file",
            field=models.FileField(
                max_length=200,
                storage=core.storage.private_storage,
                upload_to=orders.models.document_file_name,
                verbose_name="файл",
            ),
        ),
        migrations.RunPython(move_to_private, migrations.RunPython.noop),
    ]
