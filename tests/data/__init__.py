"""Data the tests read, kept in the repository so that a fresh clone tests alone.

xss-vectors.txt is a copy of the shared XSS corpus (shared/data/xss-vectors.txt), one vector
per line; refresh it from there when the corpus grows.
"""

from pathlib import Path

HERE = Path(__file__).parent


def xss_vectors() -> list[str]:
    return (HERE / "xss-vectors.txt").read_text(encoding="utf-8").splitlines()
