"""Every write of the exchange with 1C, by process: sessions and files, the catalogue import, orders."""
