"""What the orders app tells the apps above it (payments), which it may not import: each sent inside the
transaction that made the change, so a receiver's records commit or roll back with it."""

from django.dispatch import Signal

# An order was cancelled: the payments app refunds what was paid or releases a hold. Args: order.
order_cancelled = Signal()
# Goods left the warehouse for the buyer: the payments app sends the receipt of full settlement. Args: order.
order_shipped = Signal()
# The buyer has the goods; for payment on receipt the shop now has the money. Args: order.
order_completed = Signal()
# Staff accepted returned goods: the payments app refunds them. Args: return_request, pricing (ReturnPricing).
order_return_accepted = Signal()
