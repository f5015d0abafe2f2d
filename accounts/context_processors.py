def customer(request):
    """Expose the customer's role and company to templates; a company costs one query, a person none."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_b2b": False, "customer_company": None}
    company = user.company if user.company_id else None
    return {"is_b2b": user.is_b2b, "customer_company": company}
