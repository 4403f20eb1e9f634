#!/usr/bin/env python
"""Django's command-line utility for Spolu."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    from config.env import EnvError

    try:
        execute_from_command_line(sys.argv)
    except EnvError as exc:
        # A bad environment value is the operator's mistake, not a bug: one line, no traceback.
        sys.exit(f"spolu: {exc}")


if __name__ == "__main__":
    main()
