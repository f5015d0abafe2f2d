"""SMS gateways the shop can send through, one module each; SMS_BACKEND names the class."""
