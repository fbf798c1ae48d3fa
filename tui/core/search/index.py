"""Search the catalogue the way counsellors type: live, forgiving, Japanese-aware.

``SearchIndex`` holds only what search needs, for resources that are not closed.
Each resource has a slot: the base segment's slots are in base order (active first,
then most recently verified) as of the last full build; a resource changed since sits
in a new slot of a small delta segment and its base slot is dead (``alive``). The
``rank`` array gives every live slot its place in base order, which settles ties.
A query runs in three steps:

1. every word gets a score for every resource, from posting lists (name and
   reading n-grams; organisations, places and needs matched as whole entities);
2. resources where every word scores, inside the area and need filters, are
   taken best level first (a word's score is an upper bound, from n-grams);
3. the few rows shown are checked on their real keys and scored exactly.

When that finds few rows, words of three or more characters are also looked for
as typos: rows sharing most of the word's characters, reranked with rapidfuzz.
The base and the delta are stored in the catalogue, each keyed by its ``data_version``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from tui.core.models import Hit
from tui.core.search import build as b
from tui.core.search import scoring
from tui.core.search.grams import GramIndex
from tui.core.search.keys import QueryWord, keys_with_loose, parse_query, term_score
from tui.core.search.scoring import Word, apply_raises, exact_score, in_rank_order, levels, merge_best
from tui.core.search.typos import name_typos, place_typos
from tui.core.text import fold, loose

FEW = 10  # fewer hits than this: look for typos too
CHECK_LIMIT = 1000  # rows checked exactly per query; past it, estimates that were too high cost order, not time


class SearchIndex:
    """What search needs of a catalogue, at one ``data_version``."""

    def __init__(self, data_version: int, base: tuple[dict, dict[str, bytes]], gazetteer, taxonomy,
                 delta: tuple[dict, dict[str, bytes]] | None = None):
        """``base``: the segment of the last full build; ``delta``: the resources changed since
        (``build.build_parts(…, ids)``), each in a new slot after the base's, its old slot dead."""
        meta, parts = base
        self.data_version = data_version
        # (its version, meta, parts): set by ``stored.load_or_build``, which uses it again when it is current
        self.base_segment: tuple[int, dict, dict[str, bytes]] | None = None
        self.base_size = meta["size"]
        self.place_codes: list[str] = meta["places"]
        self.need_codes: list[str] = meta["needs"]
        self.org_count: int = meta["orgs"]
        self.gazetteer = gazetteer
        self.names = _grams(parts, "names.", self.base_size)  # strict name and reading keys
        self.loose = _grams(parts, "loose.", self.base_size)  # their loose forms
        self.orgs = _grams(parts, "orgs.", self.org_count)
        self._segments = [(parts["records"], np.frombuffer(parts["record_starts"], dtype=np.int64))]
        self.active = np.frombuffer(parts["active"], dtype=np.bool_)
        # When each row was last verified, as ISO dates (b"" when never): coverage filters on it.
        self.verified = np.frombuffer(parts["verified"], dtype="S10")
        # A resource's organisation number; org_count (an always-zero slot) when it has none.
        self.org_of = np.frombuffer(parts["org_of"], dtype=np.int32)
        self.places_text = b.Lists(parts["places_text.starts"], parts["places_text.items"])  # place → rows
        self.places_served = b.Lists(parts["places_served.starts"], parts["places_served.items"])
        self.needs = b.Lists(parts["needs.starts"], parts["needs.items"])  # need → rows
        self._id_order = np.frombuffer(parts["id_order"], dtype=np.uint32)
        self.size = self.base_size
        dead: list[int] = []
        delta_places = np.zeros(0, dtype=np.int64)  # where each delta row goes in base order
        if delta is not None:
            dmeta, dparts = delta
            if dmeta["places"] != self.place_codes or dmeta["needs"] != self.need_codes:
                raise ValueError("a delta built against other areas or needs")
            dsize, dorgs = dmeta["size"], dmeta["orgs"]
            self.names = self.names.with_delta(_grams(dparts, "names.", dsize))
            self.loose = self.loose.with_delta(_grams(dparts, "loose.", dsize))
            self.orgs = self.orgs.with_delta(_grams(dparts, "orgs.", dorgs))
            total_orgs = self.org_count + dorgs
            base_org = self.org_of
            delta_org = np.frombuffer(dparts["org_of"], dtype=np.int32)
            self.org_of = np.concatenate((
                np.where(base_org == self.org_count, total_orgs, base_org),
                np.where(delta_org == dorgs, total_orgs, delta_org + self.org_count),
            )).astype(np.int32)
            self.org_count = total_orgs
            self.active = np.concatenate((self.active, np.frombuffer(dparts["active"], dtype=np.bool_)))
            self.verified = np.concatenate((self.verified, np.frombuffer(dparts["verified"], dtype="S10")))
            for name in ("places_text", "places_served", "needs"):
                lists = b.Lists(dparts[f"{name}.starts"], dparts[f"{name}.items"])
                setattr(self, name, getattr(self, name).joined(lists, self.base_size))
            self._segments.append((dparts["records"], np.frombuffer(dparts["record_starts"], dtype=np.int64)))
            self.size = self.base_size + dsize
            if "dead" not in dparts:  # worked out once, when the delta is built, and stored with it
                dparts["dead"] = np.array([slot for rid in dmeta["ids"] if (slot := self._base_slot(rid)) is not None],
                                          dtype=np.int64).tobytes()
                dparts["positions"] = np.array([self._base_position(self.base_size + n) for n in range(dsize)],
                                               dtype=np.int64).tobytes()
            dead = np.frombuffer(dparts["dead"], dtype=np.int64).tolist()
            delta_places = np.frombuffer(dparts["positions"], dtype=np.int64)
        # Which slots hold a resource as it is now, and the rank order of the live ones.
        self.alive = np.ones(self.size, dtype=bool)
        self.alive[dead] = False
        self._dead = bool(dead)
        in_base = np.arange(self.base_size, dtype=np.int64)
        order = np.lexsort((
            np.concatenate((np.zeros(self.base_size, np.int64), np.arange(len(delta_places), dtype=np.int64))),
            np.concatenate((np.ones(self.base_size, np.int64), np.zeros(len(delta_places), np.int64))),
            np.concatenate((in_base, delta_places)),
        ))
        self.order = order[self.alive[order]]  # live slots, best-placed first
        self.rank = np.full(self.size, self.size, dtype=np.int64)  # slot → place in that order
        self.rank[self.order] = np.arange(len(self.order), dtype=np.int64)
        self._place_number = {c: n for n, c in enumerate(self.place_codes)}
        self._need_number = {c: n for n, c in enumerate(self.need_codes)}
        self._place_keys = [keys_with_loose(*b.place_keys(gazetteer, code)) for code in self.place_codes]
        self._need_keys = [keys_with_loose(*(fold(t) for t in b.need_terms(taxonomy, c))) for c in self.need_codes]
        # A few hundred areas and needs: their own small n-gram indexes find candidates fast.
        self._place_grams = GramIndex.build(self._place_keys)
        self.place_key_list = [(k, n) for n, keys in enumerate(self._place_keys) for k in keys]  # typo search
        self._need_grams = GramIndex.build(self._need_keys)
        self._lock = threading.Lock()
        self._words: OrderedDict[tuple, Word] = OrderedDict()  # typing repeats earlier words
        self._filters: OrderedDict[tuple, np.ndarray] = OrderedDict()
        self.unstored: tuple | None = None  # (segment, meta, parts, mark) to store, set by stored.load_or_build

    def _base_slot(self, resource_id: str) -> int | None:
        """The base slot of a resource (binary search over the slots in id order), or None."""
        lo, hi = 0, len(self._id_order)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.record(int(self._id_order[mid]))[b.ID] < resource_id:
                lo = mid + 1
            else:
                hi = mid
        if lo < len(self._id_order) and self.record(int(self._id_order[lo]))[b.ID] == resource_id:
            return int(self._id_order[lo])
        return None

    def _base_position(self, slot: int) -> int:
        """How many base slots come before this (delta) slot in base order: build_parts' ORDER BY."""
        key = b.order_key(self.record(slot))
        lo, hi = 0, self.base_size
        while lo < hi:
            mid = (lo + hi) // 2
            if b.order_key(self.record(mid)) < key:
                lo = mid + 1
            else:
                hi = mid
        return lo

    # -- searching ---------------------------------------------------------------

    def search(self, query: str, *, area: str | None = None, needs: Sequence[str] = (), limit: int = 50) -> list[Hit]:
        """Hits best first; ``area`` is a place code, ``needs`` are need codes (both already resolved)."""
        if limit <= 0 or not self.size:
            return []
        allowed = self._filter(area, tuple(sorted(set(needs))))
        local = self._local(area)
        parsed = parse_query(query)
        if not parsed:
            if allowed is None:
                return [self._hit(int(i), 0.0, "name") for i in self.order[:limit]]
            rows = np.flatnonzero(allowed & self.alive)
            rows = rows[np.argsort(self.rank[rows])]  # base order
            if local is not None:  # active before paused, then local before wider, then base order
                rows = rows[np.argsort(~self.active[rows] * 2 + ~local[rows], kind="stable")]
            return [self._hit(int(i), 0.0, "name") for i in rows[:limit]]
        single = len(parsed) == 1
        words = [self._word(w, single) for w in parsed]
        scores = [w.scores for w in words]
        matched = self._all_matching(scores, allowed)
        if parsed[-1].unfinished and len(words) > 1 and not matched.any():
            words, scores = words[:-1], scores[:-1]  # `kushiro f`: the f is a syllable on its way
            matched = self._all_matching(scores, allowed)
        if int(np.count_nonzero(matched)) < FEW:
            # Typos depend on the other words: each word gets its own copy to fill.
            words = [Word(**{**w.__dict__, "typos": {}, "places": dict(w.places)}) for w in words]
            for n, word in enumerate(words):
                others = self._all_positive(scores[:n] + scores[n + 1 :], allowed)
                # Only the word that empties the list is taken for a typo (one typo per query).
                if max(len(v) for v in word.word.variants) >= 3 and (
                    others is None or len(words) == 1 or np.count_nonzero(others) >= FEW
                ):
                    scores[n] = scores[n].copy()
                    for place, value in place_typos(self, word.word).items():
                        if value > word.places.get(place, 0):
                            word.places[place] = value
                            rows = self.places_text.get(place)
                            scores[n][rows] = np.maximum(scores[n][rows], value)
                    word.typos = name_typos(self, word.word, others)
                    if word.typos:
                        found = np.fromiter(word.typos, dtype=np.int64, count=len(word.typos))
                        scores[n][found] = np.maximum(scores[n][found], np.fromiter(word.typos.values(), np.uint8))
            matched = self._all_matching(scores, allowed)
        return self._best(words, scores, matched, limit, local)

    def _local(self, area: str | None) -> np.ndarray | None:
        """Resources serving a place inside the area filter, as against ones serving a wider
        place around it (the subprefecture, 全道): among equals, the local one comes first."""
        if area is None:
            return None
        key = ("local", area)
        with self._lock:
            if key in self._filters:
                return self._filters[key]
        wanted = self.gazetteer.leaves(area)
        local = np.zeros(self.size, dtype=bool)
        for n, code in enumerate(self.place_codes):
            if self.gazetteer.leaves(code) <= wanted:
                local[self.places_served.get(n)] = True
        with self._lock:
            self._filters[key] = local
        return local

    def _filter(self, area: str | None, needs: tuple[str, ...]) -> np.ndarray | None:
        """A mask of resources inside the area and need filters (None: no filter)."""
        if area is None and not needs:
            return None
        key = (area, needs)
        with self._lock:
            if key in self._filters:
                return self._filters[key]
        mask = np.ones(self.size, dtype=bool)
        if area is not None:
            # A resource passes when a place it serves lies inside the filter or contains it.
            wanted = self.gazetteer.leaves(area)
            inside = np.zeros(self.size, dtype=bool)
            for n, code in enumerate(self.place_codes):
                if not wanted.isdisjoint(self.gazetteer.leaves(code)):
                    inside[self.places_served.get(n)] = True
            mask &= inside
        if needs:  # any of the needs asked for
            any_need = np.zeros(self.size, dtype=bool)
            for code in needs:
                if code in self._need_number:
                    any_need[self.needs.get(self._need_number[code])] = True
            mask &= any_need
        with self._lock:
            self._filters[key] = mask
            while len(self._filters) > 16:
                self._filters.popitem(last=False)
        return mask

    def _word(self, word: QueryWord, single: bool) -> Word:
        """The word made ready, from the cache when it was typed before."""
        start_only = single and len(word.typed) == 1
        # What the word is made from: さっぽろ alone is the same word as さっぽろ in `さっぽろ そ`.
        key = (word.variants, word.parts, start_only)
        with self._lock:
            if key in self._words:
                self._words.move_to_end(key)
                return self._words[key]
        ready = self._prepare(word.variants, word, start_only)
        if word.parts:
            # 釧路市せいかつ: the kanji and the kana each have to match somewhere (こども食 too,
            # whose whole only looks like a match to the n-grams).
            ready.parts = [self._prepare((p,), QueryWord(p, (p,)), False) for p in word.parts]
            part_scores = [p.scores for p in ready.parts]
            count = len(part_scores)  # the mean, rounded up: an estimate must never be below the real score
            split = np.asarray((np.sum(part_scores, axis=0, dtype=np.uint16) + count - 1) // count, dtype=np.uint8)
            split[np.minimum.reduce(part_scores) == 0] = 0
            ready.scores = np.maximum(ready.scores, split)
        with self._lock:
            self._words[key] = ready
            while len(self._words) > 48:
                self._words.popitem(last=False)
        return ready

    def _prepare(self, variants: tuple[str, ...], word: QueryWord, start_only: bool) -> Word:
        places: dict[int, int] = {}
        needs: dict[int, int] = {}
        raises: list[tuple[int, np.ndarray]] = []  # (score, rows), applied lowest first so the best stays
        org_raises: list[tuple[int, np.ndarray]] = []
        loose_variants = tuple(dict.fromkeys(lv for v in variants if (lv := loose(v))))
        typed_latin = word.typed.isascii()
        loose_penalty = scoring.LOOSE_PENALTY
        for grams, spellings, penalty in ((self.names, variants, 0), (self.loose, loose_variants, loose_penalty)):
            for variant in spellings:  # a loose spelling (スパロー in スパロウ) scores just below
                # Kana read from romaji meets names across scripts: word_score takes CROSS_SCRIPT off,
                # so the estimate does too (an estimate above the real score defeats the early stop).
                cut = penalty + (scoring.CROSS_SCRIPT if typed_latin and not variant.isascii() else 0)
                inside = grams.containing(variant) if not start_only else None
                if inside is not None:
                    raises.append((scoring.NAME_INNER - cut, inside))
                raises.append((scoring.NAME_PREFIX - cut, grams.starting(variant, inside)))
                raises.append((scoring.NAME_EXACT - cut, grams.equal(variant)))
        # Organisations, places and needs hold loose keys too: ワークフェア meets わくふえあ, just below.
        term_spellings = [(v, 0) for v in variants] + [(v, loose_penalty) for v in loose_variants if v not in variants]
        for variant, penalty in [] if start_only else term_spellings:
            merge_best(places, self._term_hits(variant, self._place_grams, self._place_keys, penalty))
            merge_best(needs, self._term_hits(variant, self._need_grams, self._need_keys, penalty))
            inside = self.orgs.containing(variant) if len(variant) > 1 else _NONE
            org = scoring.ORG
            org_raises += [(org["inner"] - penalty, inside), (org["prefix"] - penalty, self.orgs.starting(variant)),
                           (org["exact"] - penalty, self.orgs.equal(variant))]
        raises += [(value, self.places_text.get(n)) for n, value in places.items()]
        raises += [(value, self.needs.get(n)) for n, value in needs.items()]
        scores = apply_raises(np.zeros(self.size, dtype=np.uint8), raises)
        org_scores = apply_raises(np.zeros(self.org_count + 1, dtype=np.uint8), org_raises)
        if org_raises and org_scores.any():
            np.maximum(scores, org_scores[self.org_of], out=scores)
        return Word(word, variants, loose_variants, start_only, places, needs, scores)

    def _term_hits(self, variant: str, grams: GramIndex, keys_per_term: list[list[str]], penalty: int = 0
                   ) -> dict[int, int]:
        """Areas or needs the word names: term number → score."""
        found: dict[int, int] = {}
        for n in (grams.starting(variant) if len(variant) == 1 else grams.containing(variant)).tolist():
            best = max((term_score(variant, k, **scoring.TERM) for k in keys_per_term[n]), default=0)
            if best:
                found[n] = best - penalty
        return found

    # -- ranking -----------------------------------------------------------------

    def _best(
        self, words: list[Word], scores: list[np.ndarray], matched: np.ndarray, limit: int, local: np.ndarray | None
    ) -> list[Hit]:
        """Check rows best level first until no unchecked row could beat the ones kept.

        A level is twice the summed score, plus one for a local row, plus ACTIVE (``scoring``) for an active one.
        """
        kept: list[tuple[int, float, int, str]] = []  # (level, score, row, field)
        checked = 0
        spellings = scoring.needles(words)  # a record holding none of a word's spellings cannot score: not decoded

        def enough(value: int) -> bool:  # no row below the kept ones' level can beat them
            return len(kept) >= limit and (kept[limit - 1][0] >= value or checked >= CHECK_LIMIT)

        for value, rows in levels(scores, matched, local, self.active, enough):
            # Rows come in base order and a real score never exceeds its estimate, so once
            # `limit` rows reach this level, later rows of the level cannot beat them.
            settled = sum(1 for k in kept if k[0] >= value)
            for row in in_rank_order(rows, self.rank, order=self.order):
                exact = exact_score(self.record(row), row, words, self._place_number, self._need_number) \
                    if not spellings or scoring.holds_all(*self._span(row), spellings) else None
                checked += 1
                if exact is None:
                    continue
                score, matched_field = exact
                points = (int(round(score * len(words))) * 2 + int(local is not None and local[row])
                          + scoring.ACTIVE * int(self.active[row]))
                kept.append((points, score, row, matched_field))
                settled += kept[-1][0] >= value
                if settled >= limit or (checked >= CHECK_LIMIT and len(kept) >= limit):
                    break
            kept.sort(key=lambda k: (-k[0], self.rank[k[2]]))
        return [self._hit(row, round(score, 1), f) for _, score, row, f in kept[:limit]]

    def record(self, row: int) -> list[str]:
        records, start, end = self._span(row)
        return records[start:end].decode("utf-8").split(b.SEP)

    def _span(self, row: int) -> tuple[bytes, int, int]:
        """Where a row's record is stored: its segment's bytes, where it starts and where it ends."""
        records, starts = self._segments[0] if row < self.base_size else self._segments[1]
        at = row if row < self.base_size else row - self.base_size
        return records, int(starts[at]), int(starts[at + 1])

    def _all_matching(self, scores: list[np.ndarray], allowed: np.ndarray | None) -> np.ndarray:
        """``_all_positive`` for a query with at least one word: never None."""
        matched = self._all_positive(scores, allowed)
        assert matched is not None  # only a query of no words gives None, and it never gets here
        return matched

    def _all_positive(self, scores: list[np.ndarray], allowed: np.ndarray | None) -> np.ndarray | None:
        """Live rows where every word scores, inside the filters (``allowed``): the one place
        dead slots are left out (``None`` only when there are no words, as ``allowed`` is)."""
        if not scores:
            return allowed
        matched = scores[0] > 0
        for more in scores[1:]:  # in place: logical_and.reduce of a list copies it into one 2-D array first
            matched &= more > 0
        if self._dead:
            matched &= self.alive
        return matched & allowed if allowed is not None else matched

    def _hit(self, row: int, score: float, matched: str) -> Hit:
        r = self.record(row)
        return Hit(
            id=r[b.ID], name=r[b.NAME], score=score, organization=r[b.ORG], area=r[b.AREA],
            needs=tuple(x for x in r[b.NEEDS].split(b.LIST) if x), phone=r[b.PHONE], status=r[b.STATUS],
            last_verified=r[b.VERIFIED], matched=matched,
        )


def _grams(parts: dict[str, bytes], prefix: str, size: int) -> GramIndex:
    return GramIndex.from_bytes({k[len(prefix) :]: v for k, v in parts.items() if k.startswith(prefix)}, size)


_NONE = np.zeros(0, dtype=np.uint32)


