"""Tsunagu (つなぐ): find the right community resource in Hokkaido, and refer in one key."""

__version__ = "0.1.0"
