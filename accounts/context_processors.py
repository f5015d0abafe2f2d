def customer(request):
    """Expose the customer's role to templates."""
    return {"is_b2b": False}
