"""Runs inside the Rasa venv (Python 3.10): `rasa run` with the auth token taken from the
environment instead of the command line, so that `ps` never shows it.

Usage: python -m nlu.rasa_serve run --enable-api --model … (any `rasa` arguments);
the token comes from TIEPDAN_RASA_AUTH_TOKEN, which is removed from the environment
before Rasa starts. Only the standard library and Rasa are imported.
"""

from __future__ import annotations

import os
import sys

TOKEN_VARIABLE = "TIEPDAN_RASA_AUTH_TOKEN"


def main() -> None:
    """Add the token to Rasa's own argument list (not to /proc/<pid>/cmdline) and run it."""
    token = os.environ.pop(TOKEN_VARIABLE, "")
    if not token:
        sys.exit(f"{TOKEN_VARIABLE} is not set: refusing to serve the model without a token")
    sys.argv = ["rasa", *sys.argv[1:], "--auth-token", token]
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
