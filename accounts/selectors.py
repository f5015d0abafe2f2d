"""Reads about customers: recommendations and role."""


def user_recommendations(*, user, limit: int = 8) -> list:
    """Products recommended from the customer's interests and object type (none for guests yet)."""
    return []
