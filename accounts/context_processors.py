def customer(request):
    """Expose the customer's role and company to templates; a company costs one query, a person none.

    While the page cache renders a page's shared part (shop.pagecache) the visitor is nobody in particular:
    only the variant of the page, a company buyer's or not, is exposed.
    """
    variant = getattr(request, "shared_page_variant", None)
    if variant is not None:
        return {"is_b2b": variant == "company", "customer_company": None}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_b2b": False, "customer_company": None}
    company = user.company if user.company_id else None
    return {"is_b2b": user.is_b2b, "customer_company": company}
