"""Static files under names that carry a hash of their content, cached by browsers for a year.

`manage.py collectstatic` (run by `make run`, and a deployment step: docs/deploy.md) copies
every static file into STATIC_ROOT twice, as `live.js` and as `live.3f2a9c1b7d4e.js`, with a
gzip copy of each, and writes the manifest that maps one name to the other. Pages then link the
hashed names, which WhiteNoise serves as immutable for a year: a returning resident's browser
asks for none of them again, and a changed file gets a new name, so nobody keeps an old one.

Without a manifest (a fresh clone, the test suite's scratch data directory), or with one older
than a source file (a static file edited since the last collectstatic), pages link the plain
names, which WhiteNoise serves from the source folders with a short max-age: nothing breaks for
want of a collectstatic step, and an edit is never hidden behind a stale copy.
"""

import os

from django.contrib.staticfiles import finders
from whitenoise.middleware import WhiteNoiseMiddleware
from whitenoise.storage import CompressedManifestStaticFilesStorage

ONE_YEAR = 365 * 24 * 60 * 60


class HashedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's hashed, compressed storage, falling back to plain names as above."""

    def load_manifest(self):
        hashed_files, manifest_hash = super().load_manifest()
        if hashed_files and not self._manifest_is_current():
            return {}, ""
        return hashed_files, manifest_hash

    def stored_name(self, name):
        if not self.hashed_files:
            return name
        # Strict as Django's: with a current manifest, a name it lacks is a missing file.
        return super().stored_name(name)

    def _manifest_is_current(self) -> bool:
        try:
            collected = os.path.getmtime(self.path(self.manifest_name))
        except OSError:
            return False
        for finder in finders.get_finders():
            for path, storage in finder.list(None):
                if os.path.getmtime(storage.path(path)) > collected:
                    return False
        return True


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, with hashed names cached for one year (`max-age=31536000, immutable`), the
    longest lifetime HTTP caches are required to honour, instead of WhiteNoise's ten."""

    FOREVER = ONE_YEAR
