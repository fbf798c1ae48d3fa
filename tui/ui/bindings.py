"""Key bindings shown in the user's language.

Bindings are declared once (``BINDINGS``, each with an ``id`` so ``App.set_keymap``
can remap it); ``localise`` swaps in the description and tooltip of the current
language from ``keys.<id>`` and ``tips.<id>`` in the i18n files.
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

from tui.i18n import strings, t


def localise(node: DOMNode, lang: str) -> None:
    """Give ``node``'s bindings descriptions and tooltips in ``lang`` (call in ``__init__``)."""
    known = strings(lang)
    translated: dict[str, list[Binding]] = {}
    for key, bindings in node._bindings.key_to_bindings.items():
        translated[key] = [
            replace(
                binding,
                description=t(f"keys.{binding.id}", lang) if f"keys.{binding.id}" in known else binding.description,
                tooltip=t(f"tips.{binding.id}", lang) if f"tips.{binding.id}" in known else binding.tooltip,
            )
            if binding.id
            else binding
            for binding in bindings
        ]
    node._bindings = BindingsMap.from_keys(translated)
