"""Trained NLU models as the office sees them: versions, who trained them, their figures,
which one serves citizens (the bot process switches to it without downtime)."""
