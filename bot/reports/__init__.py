"""Reports: the dashboard's figures and charts, the official register, file exports.

Everything goes through `bot.staff.permissions.visible_cases`: a person sees figures
and exports of exactly the cases they may open, and exported files never carry a
denouncer's identity (they travel beyond the console's access rules).
"""
