"""Staff accounts, roles, log-in sessions and what each person may do."""
