"""Invoke task collections; tasks.py at the repository root assembles them."""
