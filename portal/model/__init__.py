"""Model: the records, and what the portal computes from them."""
