"""The fixed codes the matching library reads (design: "Codes"), defined once here.

The library imports nothing of the app, so the codes it needs live in it; the app reads every fixed code,
these included, from :mod:`matchmaker.vocabulary`, which re-exports them.
"""

from __future__ import annotations

#: The two sides of every pair: a French and a Korean collectivité.
COUNTRIES = ("FR", "KR")
#: The languages of the service, of the taxonomy's labels and of the reasons (French first, the default).
LANGUAGES = ("fr", "ko", "en")
#: What a collectivité says about a theme: it can share experience, wants to learn, or both.
STANCES = ("offer", "seek", "both")
#: The scores of a pair, each in [0, 1], in the order of the weights, the stored columns and the reasons.
DIMENSIONS = ("themes", "complementarity", "sectors", "size", "text")
