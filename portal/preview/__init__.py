"""Preview: the local server and its partial rebuilds."""
