"""Key bindings shown in the user's language.

Bindings are declared once (``BINDINGS``, each with an ``id`` so ``App.set_keymap``
can remap it); ``localise`` swaps in the description and tooltip of the current
language from ``keys.<id>`` and ``tips.<id>`` in the i18n files (or, for a screen whose
strings sit in a table of their own, ``<section>.keys.<name>`` and ``<section>.tips.<name>``).
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

from tui.i18n import strings, t


def localise(node: DOMNode, lang: str, section: str = "") -> None:
    """Give ``node``'s bindings descriptions and tooltips in ``lang`` (call in ``__init__``).

    With ``section``, the binding ``<section>.<name>`` reads ``<section>.keys.<name>`` and
    ``<section>.tips.<name>``; a string that is not there leaves the declared one.
    """
    known = strings(lang)

    def string_key(kind: str, binding_id: str) -> str:
        return f"{section}.{kind}.{binding_id.removeprefix(section + '.')}" if section else f"{kind}.{binding_id}"

    translated: dict[str, list[Binding]] = {}
    for key, bindings in node._bindings.key_to_bindings.items():
        translated[key] = [
            replace(
                binding,
                description=t(label, lang)
                if (label := string_key("keys", binding.id)) in known
                else binding.description,
                tooltip=t(tip, lang) if (tip := string_key("tips", binding.id)) in known else binding.tooltip,
            )
            if binding.id
            else binding
            for binding in bindings
        ]
    node._bindings = BindingsMap.from_keys(translated)


def show_keys(node: DOMNode, ids: tuple[str, ...], show: bool) -> None:
    """Show (or hide) the bindings ``ids`` of ``node`` in the footer."""
    changed = False
    for bindings in node._bindings.key_to_bindings.values():
        for index, binding in enumerate(bindings):
            if binding.id in ids and binding.show != show:
                bindings[index] = replace(binding, show=show)
                changed = True
    if changed:
        node.refresh_bindings()


def relabel(node: DOMNode, binding_id: str, description: str, tooltip: str) -> None:
    """Give one binding of ``node`` its words (for strings kept outside ``keys.*``)."""
    for bindings in node._bindings.key_to_bindings.values():
        for index, binding in enumerate(bindings):
            if binding.id == binding_id:
                bindings[index] = replace(binding, description=description, tooltip=tooltip)
