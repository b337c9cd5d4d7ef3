"""Tests of the sandbox Bot API server, control API and chat page."""
