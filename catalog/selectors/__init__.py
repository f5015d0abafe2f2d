"""Every read the catalogue pages need, each with a fixed number of queries, by page: categories, product
cards, the product page, the category listing, the home page, stock checks."""

from catalog.availability import with_availability
from catalog.selectors.categories import (
    CATALOG_VERSION_KEY,
    TREE_KEY,
    CategoryNode,
    CategoryTree,
    FilterAttribute,
    cache,
    catalog_version,
    category_tree,
    request_category_tree,
)
from catalog.selectors.home import (
    KITS_SLUG,
    RecommendationProfile,
    home_sections,
    profile_recommendations,
    recommendation_profile,
    user_recommendations,
)
from catalog.selectors.listing import ListingFilters, StoreListing, category_facets, category_listing
from catalog.selectors.product_page import (
    PRODUCT_PAGE_FIELDS,
    RELATED_LIMIT,
    ComponentLine,
    Picture,
    StockLine,
    category_top,
    product_get,
    product_kits,
)
from catalog.selectors.products import (
    CARD_FIELDS,
    IMAGE_FIELDS,
    CardProduct,
    card_products,
    first_images,
    product_cards,
)
from catalog.selectors.stock import stock_drift

__all__ = [
    "CARD_FIELDS",
    "CATALOG_VERSION_KEY",
    "IMAGE_FIELDS",
    "KITS_SLUG",
    "PRODUCT_PAGE_FIELDS",
    "RELATED_LIMIT",
    "TREE_KEY",
    "CardProduct",
    "CategoryNode",
    "CategoryTree",
    "ComponentLine",
    "FilterAttribute",
    "ListingFilters",
    "Picture",
    "RecommendationProfile",
    "StockLine",
    "StoreListing",
    "cache",
    "card_products",
    "catalog_version",
    "category_facets",
    "category_listing",
    "category_top",
    "category_tree",
    "first_images",
    "home_sections",
    "product_cards",
    "product_get",
    "product_kits",
    "profile_recommendations",
    "recommendation_profile",
    "request_category_tree",
    "stock_drift",
    "user_recommendations",
    "with_availability",
]
