import pytest


@pytest.fixture(autouse=True)
def _english(english):
    """Every test here reads English (tests/conftest.py)."""
