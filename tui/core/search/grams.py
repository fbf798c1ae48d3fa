"""Character n-gram posting lists over matching keys, as flat numpy arrays.

Each entity (a resource, an organisation) is indexed under the characters and
character pairs of its keys, the first one or two characters of each key, and a
hash of each whole key. Posting lists are sorted entity numbers; the whole index
is three arrays, so it is stored as bytes and loaded without rebuilding.
Looking a word up gives a superset (pairs may sit apart), which the ranking
then checks on the few rows it shows.
"""

from __future__ import annotations

import array
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

# A gram code is its kind (3 bits) above a 32-bit payload: one or two UTF-16-ish
# characters, or a hash of a whole key. A rare character outside the BMP shares a
# payload with another; that only widens the superset the ranking checks anyway.
_UNI, _BI, _START_UNI, _START_BI, _WHOLE = (kind << 32 for kind in range(1, 6))
_ENTITY_BITS = 27  # up to 134 million entities per index
_ENTITY_MASK = (1 << _ENTITY_BITS) - 1
_EMPTY = np.zeros(0, dtype=np.uint32)
# A gram held by a 16th of the entities or more (a common kana at 1M) is counted faster from a byte
# per entity than from its posting list; the most recently used DENSE_KEPT are kept so (1 MB each at 1M).
DENSE_SHARE, DENSE_KEPT = 16, 24


def whole_code(key: str) -> int:
    """A stable code for a whole key (Python's own hash changes between runs)."""
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=4).digest()
    return _WHOLE | int.from_bytes(digest, "little")


def pair_codes(key: str) -> list[int]:
    return [_BI | ((ord(a) & 0xFFFF) << 16) | (ord(b) & 0xFFFF) for a, b in zip(key, key[1:])]


def char_codes(key: str) -> list[int]:
    return [_UNI | ord(c) & 0xFFFF for c in key]


def start_code(key: str) -> int:
    """The gram for "a key starts with these one or two characters"."""
    if len(key) == 1:
        return _START_UNI | (ord(key) & 0xFFFF)
    return _START_BI | ((ord(key[0]) & 0xFFFF) << 16) | (ord(key[1]) & 0xFFFF)


@dataclass(frozen=True)
class GramIndex:
    """Sorted gram codes, where each one's postings start, and the postings."""

    codes: np.ndarray  # int64, sorted, unique
    starts: np.ndarray  # int64, len(codes) + 1
    postings: np.ndarray  # uint32 entity numbers, sorted within each gram
    size: int  # number of entities (the delta's too, when there is one)
    # A delta segment: its entities are numbered from ``offset`` on, after every entity here,
    # so a gram's postings are this index's followed by the delta's, still sorted.
    delta: GramIndex | None = None
    offset: int = 0
    _dense: OrderedDict[int, np.ndarray] = field(default_factory=OrderedDict, compare=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    def with_delta(self, delta: GramIndex) -> GramIndex:
        return GramIndex(self.codes, self.starts, self.postings, self.size + delta.size, delta, self.size)

    @classmethod
    def build(cls, keys_per_entity: Iterable[Iterable[str]]) -> GramIndex:
        """Index entity 0, 1, 2… under the grams of its keys.

        The grams are computed with numpy over all keys at once; each (gram, entity)
        pair is packed into one uint64, sorted in place and deduplicated.
        """
        keys: list[str] = []
        owners = array.array("I")
        size = 0
        for entity, entity_keys in enumerate(keys_per_entity):
            size = entity + 1
            for key in entity_keys:
                if key:
                    keys.append(key)
                    owners.append(entity)
        return cls.build_flat(keys, owners, size)

    @classmethod
    def build_flat(cls, keys: list[str], owners: array.array, size: int) -> GramIndex:
        """``build`` from non-empty keys and the entity of each ("I" array); ``keys`` is emptied."""
        if not keys:
            return cls(np.zeros(0, np.int64), np.zeros(1, np.int64), _EMPTY, size)
        chars = np.frombuffer("".join(keys).encode("utf-32-le"), dtype=np.uint32) & np.uint32(0xFFFF)
        lengths = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
        owner_of_key = np.frombuffer(owners, dtype=np.uint32).copy()
        firsts = np.cumsum(lengths) - lengths
        owner_of_char = np.repeat(owner_of_key, lengths)
        paired = np.ones(len(chars) - 1, dtype=bool)  # position i starts a pair inside one key
        paired[(firsts + lengths - 1)[:-1]] = False
        longer = lengths > 1
        # Fill one packed array segment by segment (kind, payload, entity): no big temporaries.
        # (A whole-key code already carries its kind.)
        segments = (
            (_UNI, lambda: chars, lambda: owner_of_char),
            (_BI, lambda: ((chars[:-1] << np.uint32(16)) | chars[1:])[paired], lambda: owner_of_char[:-1][paired]),
            (_START_UNI, lambda: chars[firsts], lambda: owner_of_key),
            (_START_BI, lambda: (chars[firsts[longer]] << np.uint32(16)) | chars[firsts[longer] + 1],
             lambda: owner_of_key[longer]),
            (0, lambda: np.fromiter(map(whole_code, keys), dtype=np.int64, count=len(keys)), lambda: owner_of_key),
        )
        sizes = (len(chars), int(paired.sum()), len(keys), int(longer.sum()), len(keys))
        packed = np.empty(sum(sizes), dtype=np.uint64)
        at = 0
        for (kind, payload_of, owners_of), count in zip(segments, sizes):
            segment = packed[at : at + count]
            segment[:] = payload_of()
            segment |= np.uint64(kind)
            segment <<= np.uint64(_ENTITY_BITS)
            segment |= owners_of()
            at += count
        del chars, owner_of_char, paired, segments
        keys.clear()
        packed.sort()
        postings = (packed & np.uint64(_ENTITY_MASK)).astype(np.uint32)
        packed >>= np.uint64(_ENTITY_BITS)  # now the gram codes, in place
        new_gram = np.empty(len(packed), dtype=bool)
        new_gram[0] = True
        np.not_equal(packed[1:], packed[:-1], out=new_gram[1:])
        codes = packed[new_gram].astype(np.int64)
        del packed
        keep = new_gram.copy()  # an entity once per gram: drop repeats (a key with the same pair twice)
        keep[1:] |= postings[1:] != postings[:-1]
        postings = postings[keep]
        starts = np.append(np.flatnonzero(new_gram[keep]), len(postings)).astype(np.int64)
        return cls(codes, starts, postings, size)

    def posting(self, code: int) -> np.ndarray:
        found = _EMPTY
        at = int(np.searchsorted(self.codes, code))
        if at < len(self.codes) and self.codes[at] == code:
            found = self.postings[self.starts[at] : self.starts[at + 1]]
        if self.delta is not None:
            more = self.delta.posting(code)
            if len(more):
                found = np.concatenate((found, more + np.uint32(self.offset)))
        return found

    def containing(self, word: str) -> np.ndarray:
        """Entities whose keys hold every pair of ``word`` (every character if it is one)."""
        codes = list(dict.fromkeys(pair_codes(word) if len(word) > 1 else char_codes(word)))
        lists = sorted(((self.posting(c), c) for c in codes), key=lambda found: len(found[0]))
        if not lists:
            return _EMPTY
        found = lists[0][0]
        for other, code in lists[1:]:
            found = self._within(found, code, other)
        return found

    def starting(self, word: str, inside: np.ndarray | None = None) -> np.ndarray:
        """Entities with a key that starts with ``word``; ``inside`` is ``containing(word)`` if known."""
        code = start_code(word[:2])
        begins = self.posting(code)
        if len(word) <= 2 or not len(begins):
            return begins
        return self._within(self.containing(word) if inside is None else inside, code, begins)

    def _within(self, found: np.ndarray, code: int, posting: np.ndarray) -> np.ndarray:
        """``intersect(found, posting)``, where ``posting`` is the gram ``code``'s: a common gram's through
        its byte per entity (``_holding``), which skips marking its hundreds of thousands of entities."""
        if len(posting) * DENSE_SHARE < self.size:
            return self.intersect(found, posting)
        return found[self._holding(code, posting).view(bool)[found.astype(np.intp)]]

    def intersect(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Two sorted posting lists → the entities in both."""
        if len(a) > len(b):
            a, b = b, a
        if not len(a):
            return _EMPTY
        if len(a) * 8 < len(b):  # a short list: binary-search it in the long one
            at = np.searchsorted(b, a)
            at[at == len(b)] = 0
            return a[b[at] == a]
        seen = np.zeros(self.size, dtype=bool)
        seen[b.astype(np.intp)] = True  # numpy indexes with intp: a uint32 index takes twice as long
        return a[seen[a.astype(np.intp)]]

    def equal(self, word: str) -> np.ndarray:
        return self.posting(whole_code(word))

    def shared_grams(self, word: str) -> np.ndarray:
        """For every entity, how many of the word's characters and pairs its keys hold (typo search)."""
        counts = np.zeros(self.size, dtype=np.uint8)
        for code in dict.fromkeys(char_codes(word) + pair_codes(word)):
            found = self.posting(code)
            if len(found) * DENSE_SHARE >= self.size:
                counts += self._holding(code, found)
            else:
                counts[found.astype(np.intp)] += 1
        return counts

    def _holding(self, code: int, found: np.ndarray) -> np.ndarray:
        """1 for each entity in ``found`` (the gram's postings), 0 for the rest, kept for next time."""
        with self._lock:
            if code in self._dense:
                self._dense.move_to_end(code)
                return self._dense[code]
        holding = np.zeros(self.size, dtype=np.uint8)
        holding[found.astype(np.intp)] = 1
        with self._lock:
            self._dense[code] = holding
            while len(self._dense) > DENSE_KEPT:
                self._dense.popitem(last=False)
        return holding

    def to_bytes(self) -> dict[str, bytes]:
        return {"codes": self.codes.tobytes(), "starts": self.starts.tobytes(), "postings": self.postings.tobytes()}

    @classmethod
    def from_bytes(cls, parts: dict[str, bytes], size: int) -> GramIndex:
        return cls(
            np.frombuffer(parts["codes"], dtype=np.int64),
            np.frombuffer(parts["starts"], dtype=np.int64),
            np.frombuffer(parts["postings"], dtype=np.uint32),
            size,
        )
