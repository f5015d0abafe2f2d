"""The consent to personal data processing (152-FZ): its current version and where its text lives."""

# Raise the version whenever templates/accounts/consent.html changes in substance; each record keeps the
# version the person agreed to.
CONSENT_VERSION = "2025-09-01"
CONSENT_TEMPLATE = "accounts/consent.html"
PRIVACY_TEMPLATE = "accounts/privacy.html"
