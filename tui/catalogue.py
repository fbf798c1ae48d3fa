"""The SPEC's entry point: ``from tui.catalogue import Catalogue`` (the core lives in tui.core)."""

from tui.core.store.catalogue import Catalogue

__all__ = ["Catalogue"]
