"""Real-browser tests. A package so that this folder's conftest.py is imported as
``browser.conftest`` and never shadows tests/conftest.py, which other tests import as ``conftest``."""
