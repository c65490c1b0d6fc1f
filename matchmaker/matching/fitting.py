"""Fitting: the vocabularies learned from every profile and each side's factors, ready for the products.

`Fitting` is the part of MatchScorer that learns (fit) and turns profiles into feature blocks and score-part
factors (also for one new profile in score_one); its results are the estimator's fitted attributes (name_).
"""

from __future__ import annotations

import copy
import dataclasses
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

import numpy as np

from .codes import COUNTRIES
from .concepts import ConceptTable, KeywordMatcher
from .dimensions import COMBINE, GROUPS, PARTS, normalise_weights
from .features import (
    FR_LEVELS,
    KR_LEVELS,
    UNKNOWN_LEVEL,
    UNKNOWN_LEVEL_COMPATIBILITY,
    SideFeatures,
    SizeKernel,
    TextSpaces,
    embedding_width,
    side_features,
)
from .profile import Profile

if TYPE_CHECKING:
    from .scorer import MatchScorer


def _khatri_rao(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise Kronecker product: (n, p) and (n, q) -> (n, p*q); turns a product of scores into one dot."""
    return np.einsum("ip,iq->ipq", a, b).reshape(len(a), -1)


def _compatibility_table(table: Any, fr_levels: list[str], kr_levels: list[str]) -> np.ndarray:
    """Level compatibility as a (FR levels × KR levels) array from a nested dict or a function."""
    out = np.full((len(fr_levels), len(kr_levels)), UNKNOWN_LEVEL_COMPATIBILITY, dtype=np.float32)
    for i, fr in enumerate(fr_levels):
        for j, kr in enumerate(kr_levels):
            if fr == UNKNOWN_LEVEL or kr == UNKNOWN_LEVEL:
                continue
            if table is None:
                value = 1.0
            elif callable(table):
                value = table(fr, kr)
            else:
                value = (table.get(fr) or {}).get(kr)
            if value is not None:
                out[i, j] = float(value)
    if np.any(out < 0) or np.any(out > 1):
        raise ValueError("level compatibility values must be in [0, 1]")
    return out


def _table_levels(table: Any) -> tuple[set[str], set[str]]:
    """Levels named in a nested-dict compatibility table (none for a function)."""
    if isinstance(table, Mapping):
        kr = {k for row in table.values() for k in (row or {})}
        return set(table), kr
    return set(), set()


def _identity_keys(profile: Profile) -> frozenset[str]:
    return profile.identity_key_set


def _partner_keys(profile: Profile) -> frozenset[str]:
    return profile.partner_key_set


class Fitting:
    """Learning from the profiles (the fitting part of MatchScorer; its parameters are MatchScorer's)."""

    def fit(self, profiles: Iterable[Profile | Mapping[str, Any]], y: Any = None) -> "MatchScorer":
        """Learn vocabularies (themes, sectors, levels, TF-IDF) and vectorise every profile; returns self."""
        profiles = [p if isinstance(p, Profile) else Profile.from_record(p) for p in profiles]
        ids = [p.id for p in profiles]
        if len(set(ids)) != len(ids):
            raise ValueError("profile ids must be unique")
        if self.combine not in COMBINE:
            raise ValueError(f"combine must be one of {COMBINE}, not {self.combine!r}")
        if not all(0 <= v <= 1 for v in (self.unpreferred_level, self.text_tfidf_share, self.text_semantic_share)):
            raise ValueError("unpreferred_level, text_tfidf_share and text_semantic_share must be in [0, 1]")
        if not 0 <= self.semantic_floor < 1:
            raise ValueError("semantic_floor must be in [0, 1)")
        self.weights_ = normalise_weights(self.weights)
        self.concepts_ = (
            ConceptTable.from_taxonomy(self.taxonomy) if self.taxonomy is not None else ConceptTable((), ())
        )
        self.keywords_ = KeywordMatcher(self.concepts_)

        def vocabulary(known: list[str], seen: Iterable[str]) -> list[str]:
            return known + sorted(set(seen) - set(known))

        self.theme_codes_ = vocabulary(self.concepts_.theme_codes, (a.code for p in profiles for a in p.themes))
        self.sector_codes_ = vocabulary(self.concepts_.sector_codes, (s for p in profiles for s in p.sectors))
        table_fr, table_kr = _table_levels(self.level_compatibility)
        seen = {c: {p.level for p in profiles if p.country == c and p.level} for c in COUNTRIES}
        self.fr_levels_ = vocabulary(list(FR_LEVELS), seen["FR"] | table_fr) + [UNKNOWN_LEVEL]
        self.kr_levels_ = vocabulary(list(KR_LEVELS), seen["KR"] | table_kr) + [UNKNOWN_LEVEL]
        self.compatibility_ = _compatibility_table(self.level_compatibility, self.fr_levels_, self.kr_levels_)
        self.size_kernel_ = SizeKernel(self.size_bandwidth)
        self.text_spaces_ = TextSpaces().fit([p.description for p in profiles])
        self.embedding_width_ = embedding_width(profiles)

        # Unknown populations take the median of the same country and level (then of the country).
        self.typical_population_: dict[tuple[str, str], float] = {}
        for country in COUNTRIES:
            known = [p for p in profiles if p.country == country and p.population]
            if known:
                self.typical_population_[(country, UNKNOWN_LEVEL)] = float(np.median([p.population for p in known]))
            for level in {p.level for p in known}:
                self.typical_population_[(country, level)] = float(
                    np.median([p.population for p in known if p.level == level])
                )

        self.fr_profiles_ = [p for p in profiles if p.country == "FR"]
        self.kr_profiles_ = [p for p in profiles if p.country == "KR"]
        self.fr_ = self._vectorise(self.fr_profiles_, "FR")
        self.kr_ = self._vectorise(self.kr_profiles_, "KR")
        self.fr_row_ = {pid: i for i, pid in enumerate(self.fr_.ids)}
        self.kr_row_ = {pid: i for i, pid in enumerate(self.kr_.ids)}
        self.fr_order_ = np.argsort(np.argsort(self.fr_.ids))  # rank of each row's id: ties go to the lower id
        self.kr_order_ = np.argsort(np.argsort(self.kr_.ids))
        self.fr_parts_ = self._parts(self.fr_, "FR")
        self.kr_parts_ = self._parts(self.kr_, "KR")
        self.fr_groups_ = [np.hstack([self.fr_parts_[p] for p in group]) for group in GROUPS]
        self.fr_names_ = self._key_index(self.fr_profiles_, _identity_keys)
        self.kr_names_ = self._key_index(self.kr_profiles_, _identity_keys)
        self.fr_declared_ = self._key_index(self.fr_profiles_, _partner_keys)
        self.kr_declared_ = self._key_index(self.kr_profiles_, _partner_keys)
        self.declared_partners_ = self._declared_pairs(
            self.fr_profiles_, self.kr_profiles_, self.fr_names_, self.kr_names_
        )
        return self

    def refreshed(self, profiles: Iterable[Profile | Mapping[str, Any]]) -> "MatchScorer | None":
        """A copy of this fitted scorer in which ``profiles`` (new answers of profiles it was fitted on) replace
        their old versions, keeping every vocabulary, IDF and median fit learned: equal, array for array, to
        fit() on the changed set of profiles, at the cost of vectorising the changed ones only.

        That holds only while a change leaves untouched what fit learns from every profile, so None is returned
        (fit again) when a profile is new or changes its country, level, population or description, when its
        description gains or loses its encoder vector, or when a theme or sector code outside the taxonomy comes
        or goes. This scorer is never modified (a copy is returned), so it can keep serving other readers.
        """
        profiles = [p if isinstance(p, Profile) else Profile.from_record(p) for p in profiles]
        if len({p.id for p in profiles}) != len(profiles):
            raise ValueError("profile ids must be unique")
        known_themes, known_sectors = set(self.concepts_.theme_codes), set(self.concepts_.sector_codes)
        changes: dict[str, list[tuple[int, Profile, Profile]]] = {country: [] for country in COUNTRIES}
        for profile in profiles:
            rows, fitted = (
                (self.fr_row_, self.fr_profiles_) if profile.country == "FR" else (self.kr_row_, self.kr_profiles_)
            )
            if profile.id not in rows:
                return None
            old = fitted[rows[profile.id]]
            if not _same_for_fit(old, profile, self.embedding_width_, known_themes, known_sectors):
                return None
            changes[profile.country].append((rows[profile.id], old, profile))
        new = copy.copy(self)
        for country, changed in changes.items():
            if not changed:
                continue
            changed.sort(key=lambda change: change[0])
            rows = np.array([row for row, _, _ in changed], dtype=np.intp)
            prefix = "fr" if country == "FR" else "kr"
            side: SideFeatures = getattr(self, f"{prefix}_")
            fresh = self._vectorise([profile for _, _, profile in changed], country)
            # what depends only on the population, level and description is unchanged: the old rows are kept (the
            # size kernel's product is not guaranteed to give the same last bits for another batch of rows)
            fresh = dataclasses.replace(fresh, kernel=side.kernel[rows])
            setattr(new, f"{prefix}_", _with_rows(side, rows, fresh))
            fresh_parts = self._parts(fresh, country)
            parts = {p: _set_rows(a, rows, fresh_parts[p]) for p, a in getattr(self, f"{prefix}_parts_").items()}
            setattr(new, f"{prefix}_parts_", parts)
            if country == "FR":
                new.fr_groups_ = [
                    _set_rows(g, rows, np.hstack([parts[p][rows] for p in group]))
                    for g, group in zip(self.fr_groups_, GROUPS)
                ]
            profiles_list = list(getattr(self, f"{prefix}_profiles_"))
            for row, _, profile in changed:
                profiles_list[row] = profile
            setattr(new, f"{prefix}_profiles_", profiles_list)
            row_of = getattr(self, f"{prefix}_row_")
            pairs = [(old, profile) for _, old, profile in changed]
            setattr(new, f"{prefix}_names_", _reindex(getattr(self, f"{prefix}_names_"), row_of, pairs, _identity_keys))
            setattr(
                new, f"{prefix}_declared_", _reindex(getattr(self, f"{prefix}_declared_"), row_of, pairs, _partner_keys)
            )
        changed_fr = {p.id for _, _, p in changes["FR"]}
        changed_kr = {p.id for _, _, p in changes["KR"]}
        declared = {pair for pair in self.declared_partners_ if pair[0] not in changed_fr and pair[1] not in changed_kr}
        for profile in profiles:
            declared |= new._declared_with(profile)
        new.declared_partners_ = declared
        return new

    def _vectorise(self, profiles: list[Profile], country: str) -> SideFeatures:
        """Feature blocks for profiles of one country, with the fitted vocabularies."""
        own, other = (self.fr_levels_, self.kr_levels_) if country == "FR" else (self.kr_levels_, self.fr_levels_)
        side = side_features(
            profiles,
            theme_codes=self.theme_codes_,
            sector_codes=self.sector_codes_,
            keywords=self.keywords_,
            text_spaces=self.text_spaces_,
            size_kernel=self.size_kernel_,
            levels=own,
            other_levels=other,
            typical_population=self.typical_population_,
            infer_from_text=self.infer_from_text,
            unpreferred_level=self.unpreferred_level,
            semantic_width=self.embedding_width_,
        )
        side.text = self._text_factor(side, country)
        return side

    def _text_factor(self, side: SideFeatures, country: str) -> np.ndarray:
        """The side's factor of the text base: fr.text · kr.text = (1 - b) concepts + b (cos - floor) / (1 - floor).

        The floor is subtracted through one extra column (+√ on the French side, −√ on the Korean
        side, 0 where a description is not encoded), so the base stays one dot product.
        """
        b = self.text_semantic_share if self.embedding_width_ else 0.0
        if b == 0:
            return np.ascontiguousarray(side.concepts, dtype=np.float32)
        f = self.semantic_floor
        sign = 1.0 if country == "FR" else -1.0
        floor_column = sign * np.sqrt(b * f / (1 - f)) * side.has_semantic[:, None]
        return np.ascontiguousarray(
            np.hstack([np.sqrt(1 - b) * side.concepts, np.sqrt(b / (1 - f)) * side.semantic, floor_column]),
            dtype=np.float32,
        )

    def _parts(self, side: SideFeatures, country: str) -> dict[str, np.ndarray]:
        """The side's factor for each score part; part p of a pair is fr_parts[p][i] · kr_parts[p][j].

        comp_fr is what the French side seeks against what the Korean side offers, comp_kr the
        reverse; size_fr is kernel × compatibility × the French side's level preference (the
        product of scores becomes one dot product through a row-wise Kronecker product).
        """
        if country == "FR":
            onehot = np.eye(len(self.fr_levels_), dtype=np.float32)[side.level]
            preferred = self.compatibility_[side.level] * side.preference  # over KR levels
            size_fr, size_kr = _khatri_rao(side.kernel, preferred), _khatri_rao(side.kernel, onehot)
            comp_fr, comp_kr = side.seek, side.offer
        else:
            onehot = np.eye(len(self.kr_levels_), dtype=np.float32)[side.level]
            preferred = self.compatibility_[:, side.level].T * side.preference  # over FR levels
            size_fr, size_kr = _khatri_rao(side.kernel, onehot), _khatri_rao(side.kernel, preferred)
            comp_fr, comp_kr = side.offer, side.seek
        parts = {
            "themes": side.themes,
            "sectors": side.sectors,
            "text": side.text,
            "comp_fr": comp_fr,
            "comp_kr": comp_kr,
            "size_fr": size_fr,
            "size_kr": size_kr,
        }
        return {p: np.ascontiguousarray(parts[p], dtype=np.float32) for p in PARTS}

    @staticmethod
    def _key_index(profiles: list[Profile], keys: Callable[[Profile], set[str]]) -> dict[str, list[int]]:
        """key -> ids of the profiles having it (identity keys, or declared partner keys)."""
        index: dict[str, list[int]] = {}
        for profile in profiles:
            for key in keys(profile):
                index.setdefault(key, []).append(profile.id)
        return index

    def _declared_pairs(
        self,
        fr: list[Profile],
        kr: list[Profile],
        fr_names: dict[str, list[int]] | None = None,
        kr_names: dict[str, list[int]] | None = None,
    ) -> set[tuple[int, int]]:
        """(fr_id, kr_id) pairs where either side declared the other as an existing partner."""
        pairs: set[tuple[int, int]] = set()
        fr_names = self._key_index(fr, _identity_keys) if fr_names is None else fr_names
        kr_names = self._key_index(kr, _identity_keys) if kr_names is None else kr_names
        for profile in fr:
            pairs.update((profile.id, kr_id) for key in profile.partner_key_set for kr_id in kr_names.get(key, ()))
        for profile in kr:
            pairs.update((fr_id, profile.id) for key in profile.partner_key_set for fr_id in fr_names.get(key, ()))
        return pairs

    def _declared_with(self, profile: Profile) -> set[tuple[int, int]]:
        """Declared-partner pairs between one (new) profile and the fitted other side, using fit's indexes."""
        is_fr = profile.country == "FR"
        names, declared = (self.kr_names_, self.kr_declared_) if is_fr else (self.fr_names_, self.fr_declared_)
        others = {pid for key in profile.partner_keys() for pid in names.get(key, ())}
        others |= {pid for key in profile.identity_keys() for pid in declared.get(key, ())}
        return {(profile.id, pid) if is_fr else (pid, profile.id) for pid in others}


#: SideFeatures fields that depend on a profile's answers besides its population, level and description.
_ANSWER_FIELDS = (
    "themes",
    "themes_raw",
    "themes_inferred",
    "seek",
    "offer",
    "sectors",
    "preference",
    "semantic",
    "has_semantic",
    "text",
)


def _same_for_fit(old: Profile, new: Profile, embedding_width: int, themes: set[str], sectors: set[str]) -> bool:
    """Whether replacing ``old`` by ``new`` leaves what fit learns from every profile as it is."""

    def encoded(profile: Profile) -> int:
        return len(profile.embedding) if profile.embedding is not None else 0

    return (
        (old.country, old.level, old.population, old.description)
        == (new.country, new.level, new.population, new.description)
        and encoded(old) == encoded(new)
        and encoded(new) in (0, embedding_width)
        and all({a.code for a in p.themes} <= themes and set(p.sectors) <= sectors for p in (old, new))
    )


def _set_rows(array: np.ndarray, rows: np.ndarray, values: np.ndarray) -> np.ndarray:
    """A copy of ``array`` with ``rows`` replaced by ``values``."""
    out = array.copy()
    out[rows] = values
    return out


def _with_rows(side: SideFeatures, rows: np.ndarray, fresh: SideFeatures) -> SideFeatures:
    """``side`` with the answer-dependent rows of ``rows`` taken from ``fresh`` (the same profiles, re-vectorised)."""
    sentence_embeddings = list(side.sentence_embeddings)
    for row, vectors in zip(rows.tolist(), fresh.sentence_embeddings):
        sentence_embeddings[row] = vectors
    replaced = {name: _set_rows(getattr(side, name), rows, getattr(fresh, name)) for name in _ANSWER_FIELDS}
    return dataclasses.replace(side, sentence_embeddings=sentence_embeddings, **replaced)


def _reindex(
    index: dict[str, list[int]],
    row_of: dict[int, int],
    changes: list[tuple[Profile, Profile]],
    keys: Callable[[Profile], frozenset[str]],
) -> dict[str, list[int]]:
    """``index`` (key -> ids in row order, as _key_index builds it) after each (old, new) profile change."""
    out = dict(index)
    changed = {new.id for _, new in changes}
    touched = set().union(*(keys(old) | keys(new) for old, new in changes))
    for key in touched:
        ids = [i for i in out.get(key, ()) if i not in changed] + [new.id for _, new in changes if key in keys(new)]
        if ids:
            out[key] = sorted(ids, key=row_of.__getitem__)
        else:
            out.pop(key, None)
    return out
