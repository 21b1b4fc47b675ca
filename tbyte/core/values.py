"""Values documents (Helm values, release and add-on settings) layered the way Helm layers them."""

from __future__ import annotations

import copy


def deep_merge(base: dict, override: dict) -> dict:
    """base with override merged in: maps merged recursively, everything else (lists too) replaced."""
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged
