"""Webhook mode: Telegram (or the sandbox) posts updates to this instance instead of the bot
polling for them, so several instances behind a reverse proxy can share the load."""
