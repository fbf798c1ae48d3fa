"""Search: PLACEHOLDER scan, replaced by the indexed search of issue #3."""

from __future__ import annotations

from .models import Hit
from .text import fold


class SearchIndex:
    def __init__(self, catalogue, rows):
        self.data_version = catalogue.data_version
        self.gazetteer = catalogue.gazetteer
        self.rows = rows

    @classmethod
    def load_or_build(cls, catalogue):
        return cls(catalogue, [r for r in catalogue.resources() if r.status != "closed"])

    def search(self, query, *, area=None, needs=(), limit=50):
        words = [fold(w) for w in query.split() if fold(w)]
        hits = []
        for r in self.rows:
            if area and not self.gazetteer.overlaps(r.served_areas, area):
                continue
            if needs and not set(needs) & set(r.needs):
                continue
            key = fold(r.name + r.name_kana + r.organization)
            if all(w in key for w in words):
                hits.append(Hit(r.id, r.name, 100.0, r.organization, r.area, r.needs, r.phone, r.status, r.last_verified))
        hits.sort(key=lambda h: (h.status != "active", h.name))
        return hits[:limit]
