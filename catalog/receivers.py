"""Saves, deletes and m2m changes of the catalogue's models reach the caches through catalog.changes."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from catalog import changes
from catalog.models import (
    Attribute,
    Brand,
    Category,
    KitComponent,
    Product,
    ProductAttributeValue,
    ProductImage,
    Stock,
    Warehouse,
)

CATALOGUE_MODELS = (Category, Brand, Attribute, Warehouse)
PRODUCT_ROW_MODELS = (ProductImage, ProductAttributeValue, Stock)


def _product_ids(instance) -> list[int]:
    if isinstance(instance, Product):
        return [instance.pk]
    if isinstance(instance, KitComponent):
        return [instance.kit_id, instance.product_id]
    return [instance.product_id]


def _before(instance) -> list:
    """Where an existing product was shown before this write (its address or category may change)."""
    if isinstance(instance, Product) and instance.pk is not None:
        from catalog.services import product_traces

        return product_traces(product_ids=[instance.pk])
    return []


def written_begin(sender, instance, **kwargs) -> None:
    changes.sanction_begin()
    if isinstance(instance, Product):
        instance.catalog_shown_before = _before(instance)


def written(sender, instance, **kwargs) -> None:
    changes.sanction_end()
    if isinstance(instance, CATALOGUE_MODELS):
        changes.catalogue_touched()
    else:
        changes.products_touched(_product_ids(instance), before=getattr(instance, "catalog_shown_before", ()))


def related_changed(sender, instance, action, pk_set=None, **kwargs) -> None:
    if action.startswith("pre_"):
        changes.sanction_begin()
        return
    changes.sanction_end()
    if isinstance(instance, Product):
        changes.products_touched([instance.pk])
    elif sender is Product.object_types.through:
        changes.products_touched(pk_set or [])
    else:
        changes.catalogue_touched()


def connect() -> None:
    """Connect the receivers of every watched model (CatalogConfig.ready)."""
    for model in (Product, KitComponent, *PRODUCT_ROW_MODELS, *CATALOGUE_MODELS):
        uid = f"catalog.changes.{model.__name__}"
        pre_save.connect(written_begin, sender=model, dispatch_uid=f"{uid}.pre_save")
        post_save.connect(written, sender=model, dispatch_uid=f"{uid}.post_save")
        pre_delete.connect(written_begin, sender=model, dispatch_uid=f"{uid}.pre_delete")
        post_delete.connect(written, sender=model, dispatch_uid=f"{uid}.post_delete")
    for through in (Product.object_types.through, Category.filter_attributes.through, Warehouse.regions.through):
        m2m_changed.connect(related_changed, sender=through, dispatch_uid=f"catalog.changes.{through.__name__}")
