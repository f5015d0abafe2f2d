"""What the catalogue tells the apps above it; they connect receivers, it never imports them."""

from django.dispatch import Signal

# Sent after the cached reads of a committed catalogue change were retired (what a page or the feed shows).
catalogue_changed = Signal()
