"""Values only the server can read back: AES-256-GCM under a key derived from SECRET_KEY.

A secret ballot's paper is written in the same transaction as the voter's `Vote`, so whoever
reads the database can pair the two rows (by insertion order, SQLite's rowid, PostgreSQL's
`xmin` or `ctid`). The paper is therefore sealed until the ballot closes, when the papers are
opened and written again in a random order (`voting.services.unseal_papers`). Each seal has a
fresh random nonce, so equal values do not give equal texts, and is bound to its ballot, so a
sealed value cannot be moved to another ballot. Its length says nothing either: the text is
padded to a whole number of blocks (a choice of a few options and a long ranking look alike).
"""

import base64
import json
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.utils.crypto import salted_hmac

NONCE_BYTES = 12
# A sealed paper's content fits one block unless it holds hundreds of scores or options.
PAPER_BLOCK = 1024


class Unreadable(Exception):
    """A sealed value that none of the server's keys opens (changed SECRET_KEY, or tampered)."""


@lru_cache(maxsize=8)
def _cipher(secret: str) -> AESGCM:
    """The cipher for one secret key, derived once (every secret vote seals)."""
    return AESGCM(salted_hmac("voting.sealing", "key", secret=secret, algorithm="sha256").digest())


def _ciphers() -> list[AESGCM]:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [_cipher(s) for s in secrets]


def _context(ballot_id: int) -> bytes:
    return f"voting.paper:{ballot_id}".encode()


def seal(value, ballot_id: int, block: int = PAPER_BLOCK) -> str:
    """`value` (JSON-able) as text that needs SECRET_KEY to read, padded with spaces (which
    JSON ignores) to a multiple of `block` bytes."""
    nonce = os.urandom(NONCE_BYTES)
    plain = json.dumps(value, sort_keys=True, separators=(",", ":")).encode()
    plain += b" " * (-len(plain) % block)
    box = _ciphers()[0].encrypt(nonce, plain, _context(ballot_id))
    return base64.urlsafe_b64encode(nonce + box).decode()


def unseal(text: str, ballot_id: int):
    """The value `seal(value, ballot_id)` sealed; tries SECRET_KEY_FALLBACKS too."""
    try:
        raw = base64.urlsafe_b64decode(text.encode())
    except ValueError as error:
        raise Unreadable("not a sealed value") from error
    nonce, box = raw[:NONCE_BYTES], raw[NONCE_BYTES:]
    for cipher in _ciphers():
        try:
            plain = cipher.decrypt(nonce, box, _context(ballot_id))
        except (InvalidTag, ValueError):
            continue
        return json.loads(plain)
    raise Unreadable("no key of this server opens it")
