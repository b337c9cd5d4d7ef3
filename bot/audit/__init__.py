"""The audit log: who did what to which record, when, with the values before and after."""
