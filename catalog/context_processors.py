from django.utils.functional import SimpleLazyObject

from catalog.selectors import request_category_tree


def catalog_menu(request):
    """Expose the category tree to every page for the header menu, read at most once per request."""
    return {"category_tree": SimpleLazyObject(lambda: request_category_tree(request))}
