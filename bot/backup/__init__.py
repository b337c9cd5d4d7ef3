"""Backup and restore: the database and the attachment files together, with a manifest."""
