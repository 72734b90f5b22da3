"""The monthly progress form (附件2): export and import."""
