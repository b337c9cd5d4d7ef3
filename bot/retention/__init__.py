"""Keeping personal data only as long as its purpose needs (Luật Bảo vệ dữ liệu cá nhân)."""
