"""Model: the records, what the portal computes from them, their addresses (urls) and how their numbers are written (present)."""
