"""Alerts to each unit's staff Telegram group: a new case, and the morning digest."""
