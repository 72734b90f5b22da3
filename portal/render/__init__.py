"""Render: the model -> pages, feeds and open data."""
