"""The one error backup and restore raise: a reason for the operator, in plain words."""

from __future__ import annotations


class BackupError(Exception):
    """A backup or restore that must not go on; the message says why and what to do."""
