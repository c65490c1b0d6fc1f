"""Matchmaker: partner matchmaking between French and Korean local governments.

``create_app`` is imported lazily so that pure sub-packages (``matchmaker.matching``,
``matchmaker.reference``, ``matchmaker.taxonomy``) can be used without loading Flask.
"""


def create_app(test_config=None, environ=None):
    """Build the Flask application (see :func:`matchmaker.app.create_app`)."""
    from matchmaker.app import create_app as _create_app  # lazily: the pure sub-packages must not load Flask

    return _create_app(test_config, environ)
