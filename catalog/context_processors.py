from catalog.selectors import category_tree


def catalog_menu(request):
    """Expose the category tree to every page for the header menu."""
    return {"category_tree": category_tree}
