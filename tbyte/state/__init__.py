"""State surgery of one stack (mv, rm, import, push, restore, unlock) through one protocol (driver.py)."""
