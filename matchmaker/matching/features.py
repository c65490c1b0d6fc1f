"""Feature blocks of one side (France or Korea): the vectors each scoring dimension multiplies."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from .concepts import KeywordMatcher, is_hangul_text
from .profile import Profile
from .text import normalise_latin

# Levels fixed by DESIGN.md; levels seen in profiles or in the compatibility table are added.
FR_LEVELS = ("region", "departement", "metropole", "epci", "commune", "arrondissement")
KR_LEVELS = (
    "special_city",
    "metropolitan_city",
    "special_autonomous_city",
    "province",
    "special_autonomous_province",
    "si",
    "gun",
    "gu",
)
UNKNOWN_LEVEL = ""
UNKNOWN_LEVEL_COMPATIBILITY = 0.5

# ln(population) is clamped to this range; 5e7 is above any collectivité of either country.
LOG_POPULATION_RANGE = (0.0, float(np.log(5e7)))

# Function words that carry no topic; IDF alone cannot down-weight them in a small corpus.
_STOP_WORDS = frozenset(
    """
les des une dans par pour avec sur aux ses son sont est nous notre nos vous leur leurs qui que
quoi dont plus mais ont ete etre fait faire comme aussi tres ainsi entre cette ces cet elle
ils elles depuis avons sommes the and for with our are this that from has have its their which
who was were been will would can into also more than they them such other these those all
ville city commune collectivite territoire
""".split()
)
_LATIN_WORD = re.compile(r"[^\W\d_]{3,}")


@lru_cache(maxsize=1 << 17)  # fit analyses each description twice (vocabulary, then rows)
def latin_words(text: str) -> tuple[str, ...]:
    """Tokenise Latin-script text for TF-IDF: accent-free lowercase words of 3+ letters, no stop words."""
    return tuple(w for w in _LATIN_WORD.findall(normalise_latin(text)) if w not in _STOP_WORDS)


class SizeKernel:
    """Gaussian kernel on ln(population) as an explicit low-rank feature map (Nyström on a fine grid).

    k(a, b) ≈ exp(-(ln a - ln b)² / (2 h²)) = phi(a) · phi(b), within `tolerance`; the feature
    form lets the size score join the other dimensions in one matrix product.
    """

    def __init__(self, bandwidth: float, tolerance: float = 1e-3):
        if bandwidth <= 0:
            raise ValueError("size_bandwidth must be positive")
        self.bandwidth = bandwidth
        lo, hi = LOG_POPULATION_RANGE
        self.landmarks = np.arange(lo - 2 * bandwidth, hi + 2 * bandwidth + 1e-9, bandwidth / 4)
        gram = self._k(self.landmarks, self.landmarks)
        eigenvalues, eigenvectors = np.linalg.eigh(gram)
        order = np.argsort(eigenvalues)[::-1]
        eigenvalues, eigenvectors = eigenvalues[order], eigenvectors[:, order]
        # Keep the fewest components whose residual k(x,x) - |phi(x)|² stays under tolerance;
        # by Cauchy–Schwarz this bounds the error for every pair.
        grid = np.linspace(lo, hi, 400)
        cross = self._k(grid, self.landmarks)
        rank = len(eigenvalues)
        for r in range(1, len(eigenvalues) + 1):
            if eigenvalues[r - 1] <= 0:
                rank = r - 1
                break
            phi = cross @ (eigenvectors[:, :r] / np.sqrt(eigenvalues[:r]))
            if np.max(1.0 - np.einsum("ij,ij->i", phi, phi)) < tolerance:
                rank = r
                break
        self.projection = eigenvectors[:, :rank] / np.sqrt(eigenvalues[:rank])

    def _k(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Exact kernel between two vectors of log-populations."""
        return np.exp(-((a[:, None] - b[None, :]) ** 2) / (2 * self.bandwidth**2))

    def features(self, populations: np.ndarray) -> np.ndarray:
        """Feature rows phi(population) (float32), one per population."""
        logs = np.clip(np.log(np.maximum(populations, 1.0)), *LOG_POPULATION_RANGE)
        return (self._k(logs, self.landmarks) @ self.projection).astype(np.float32)


def _l2_rows(matrix: np.ndarray) -> np.ndarray:
    """Scale rows to unit length (zero rows stay zero), for cosines by dot product."""
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)


@dataclass
class SideFeatures:
    """Per-dimension feature blocks for the profiles of one country (rows in profile order)."""

    ids: np.ndarray  # profile ids
    themes: np.ndarray  # priority-weighted themes, L2-normalised (cosine)
    themes_raw: np.ndarray  # the same before normalisation (for reasons)
    themes_inferred: np.ndarray  # True where themes came from the description
    seek: np.ndarray  # what the profile seeks, priority-weighted, rows summing to 1
    offer: np.ndarray  # what the profile offers, 0/1
    sectors: np.ndarray  # sectors of excellence, L2-normalised
    concepts: np.ndarray  # description mapped onto themes+sectors, L2-normalised
    kernel: np.ndarray  # SizeKernel features of the population
    population: np.ndarray  # population used (imputed where unknown)
    level: np.ndarray  # index into the side's level vocabulary
    preference: np.ndarray  # factor per level of the OTHER side (1, or the unpreferred penalty)
    latin: sparse.csr_matrix  # TF-IDF rows in the Latin space (zero for Hangul texts)
    hangul: sparse.csr_matrix  # TF-IDF rows in the Hangul space (zero for Latin texts)
    semantic: np.ndarray  # sentence-encoder vector of the description (zero row when not encoded)
    has_semantic: np.ndarray  # True where the description has an encoder vector
    descriptions: list[str]  # the descriptions (sentences quoted in reasons)
    sentence_embeddings: list  # per profile: (s, d) vectors of split_sentences(description), or None
    text: np.ndarray | None = None  # the text part's factor, built by the scorer (concepts and semantic)

    def __len__(self) -> int:
        return len(self.ids)


class TextSpaces:
    """The two TF-IDF spaces: Latin words (French, English) and Hangul character n-grams."""

    def __init__(self) -> None:
        self.latin: TfidfVectorizer | None = None
        self.hangul: TfidfVectorizer | None = None

    def fit(self, texts: list[str]) -> "TextSpaces":
        """Learn both vocabularies and IDFs from the descriptions."""
        hangul = [t for t in texts if t and is_hangul_text(t)]
        latin = [t for t in texts if t and not is_hangul_text(t)]
        if any(latin_words(t) for t in latin):
            self.latin = TfidfVectorizer(analyzer=latin_words, sublinear_tf=True, dtype=np.float32)
            self.latin.fit(latin)
        if hangul:
            # char n-grams: Korean particles attach to nouns; no accent stripping (it splits Hangul into jamo)
            self.hangul = TfidfVectorizer(
                analyzer="char_wb", ngram_range=(2, 3), lowercase=False, sublinear_tf=True, dtype=np.float32
            )
            self.hangul.fit(hangul)
        return self

    def transform(self, texts: list[str]) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
        """TF-IDF rows in each space; a text only has a row in its own script's space."""
        is_hangul = np.array([bool(t) and is_hangul_text(t) for t in texts], dtype=bool)
        out = []
        for vectorizer, mask in ((self.latin, ~is_hangul), (self.hangul, is_hangul)):
            width = len(vectorizer.vocabulary_) if vectorizer is not None else 0
            rows = sparse.csr_matrix((len(texts), width), dtype=np.float32)
            selected = [i for i in np.flatnonzero(mask) if texts[i]]
            if vectorizer is not None and selected:
                part = vectorizer.transform([texts[i] for i in selected]).tocoo()
                rows = sparse.csr_matrix(
                    (part.data, (np.asarray(selected)[part.row], part.col)), shape=(len(texts), width), dtype=np.float32
                )
            out.append(rows)
        return out[0], out[1]


def side_features(
    profiles: list[Profile],
    *,
    theme_codes: list[str],
    sector_codes: list[str],
    keywords: KeywordMatcher,
    text_spaces: TextSpaces,
    size_kernel: SizeKernel,
    levels: list[str],
    other_levels: list[str],
    typical_population: dict[tuple[str, str], float],
    infer_from_text: bool,
    unpreferred_level: float,
    semantic_width: int = 0,
) -> SideFeatures:
    """Vectorise the profiles of one country into the blocks every dimension uses."""
    n = len(profiles)
    theme_col = {c: i for i, c in enumerate(theme_codes)}
    sector_col = {c: i for i, c in enumerate(sector_codes)}
    n_concept_themes = len(keywords.concepts.themes)
    concept_codes = [c.code for c in keywords.concepts.all]

    descriptions = [p.description for p in profiles]
    concept_hits = keywords.transform(descriptions)

    themes = np.zeros((n, len(theme_codes)), dtype=np.float32)
    seek = np.zeros_like(themes)
    offer = np.zeros_like(themes)
    sectors = np.zeros((n, len(sector_codes)), dtype=np.float32)
    inferred = np.zeros(n, dtype=bool)
    for row, profile in enumerate(profiles):
        for answer in profile.themes:
            col = theme_col.get(answer.code)
            if col is None:
                continue
            themes[row, col] = answer.priority / 3.0
            seek[row, col] = answer.priority / 3.0 if answer.seeks else 0.0
            offer[row, col] = 1.0 if answer.offers else 0.0
        for code in profile.sectors:
            if code in sector_col:
                sectors[row, sector_col[code]] = 1.0
        # An unticked questionnaire with a real description still says what the collectivité is about.
        if infer_from_text and not themes[row].any():
            for col, code in enumerate(concept_codes[:n_concept_themes]):
                if concept_hits[row, col] and code in theme_col:
                    themes[row, theme_col[code]] = concept_hits[row, col]
            inferred[row] = bool(themes[row].any())
        if infer_from_text and not sectors[row].any():
            for col, code in enumerate(concept_codes[n_concept_themes:], start=n_concept_themes):
                if concept_hits[row, col] and code in sector_col:
                    sectors[row, sector_col[code]] = 1.0
    seek_totals = seek.sum(axis=1, keepdims=True)
    seek = np.divide(seek, seek_totals, out=np.zeros_like(seek), where=seek_totals > 0)

    level_col = {lvl: i for i, lvl in enumerate(levels)}
    level = np.array([level_col.get(p.level, level_col[UNKNOWN_LEVEL]) for p in profiles], dtype=np.intp)
    population = np.array(
        [
            p.population
            if p.population
            else typical_population.get(
                (p.country, p.level), typical_population.get((p.country, UNKNOWN_LEVEL), 10_000.0)
            )
            for p in profiles
        ],
        dtype=np.float64,
    )

    preference = np.ones((n, len(other_levels)), dtype=np.float32)
    for row, profile in enumerate(profiles):
        if profile.partner_levels:
            wanted = set(profile.partner_levels)
            for col, other in enumerate(other_levels):
                if other != UNKNOWN_LEVEL and other not in wanted:
                    preference[row, col] = unpreferred_level

    latin, hangul = text_spaces.transform(descriptions)
    semantic, has_semantic = semantic_rows(profiles, semantic_width)
    return SideFeatures(
        ids=np.array([p.id for p in profiles], dtype=np.int64),
        themes=_l2_rows(themes),
        themes_raw=themes,
        themes_inferred=inferred,
        seek=seek,
        offer=offer,
        sectors=_l2_rows(sectors),
        concepts=_l2_rows(concept_hits),
        kernel=size_kernel.features(population),
        population=population,
        level=level,
        preference=preference,
        latin=latin,
        hangul=hangul,
        semantic=semantic,
        has_semantic=has_semantic,
        descriptions=descriptions,
        sentence_embeddings=[p.sentence_embeddings for p in profiles],
    )


def embedding_width(profiles: list[Profile]) -> int:
    """Width of the profiles' encoder vectors (0 when none is encoded)."""
    return next((len(p.embedding) for p in profiles if p.embedding is not None and len(p.embedding)), 0)


def semantic_rows(profiles: list[Profile], width: int) -> tuple[np.ndarray, np.ndarray]:
    """The profiles' encoder vectors as unit rows of `width` (zero where missing) and where they exist."""
    rows = np.zeros((len(profiles), width), dtype=np.float32)
    for row, profile in enumerate(profiles):
        vector = profile.embedding
        if vector is not None and len(vector) == width and width:
            rows[row] = vector
    norms = np.linalg.norm(rows, axis=1)
    return _l2_rows(rows), norms > 0
