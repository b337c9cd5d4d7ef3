"""Runs inside the Rasa venv (Python 3.10): `rasa run` with the auth token taken from the
environment instead of the command line, so that `ps` never shows it.

Usage: python -m nlu.rasa_serve run --enable-api --model … (any `rasa` arguments);
the token comes from TIEPDAN_RASA_AUTH_TOKEN, which is removed from the environment
before Rasa starts. With TIEPDAN_PARENT_PID set, the server also stops when that process
dies, however it dies. Only the standard library and Rasa are imported.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

TOKEN_VARIABLE = "TIEPDAN_RASA_AUTH_TOKEN"
PARENT_VARIABLE = "TIEPDAN_PARENT_PID"
_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Get SIGTERM when the `tiepdan` process that started this one dies (even by SIGKILL),
    so that Rasa is never orphaned. Done here, not in a preexec_fn, which is unsafe in
    a parent with threads."""
    parent = os.environ.pop(PARENT_VARIABLE, "")
    if not parent:
        return
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != int(parent):
        sys.exit("the process that started this Rasa server has already exited")


def main() -> None:
    """Add the token to Rasa's own argument list (not to /proc/<pid>/cmdline) and run it."""
    die_with_parent()
    token = os.environ.pop(TOKEN_VARIABLE, "")
    if not token:
        sys.exit(f"{TOKEN_VARIABLE} is not set: refusing to serve the model without a token")
    sys.argv = ["rasa", *sys.argv[1:], "--auth-token", token]
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
