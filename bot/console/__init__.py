"""The staff web console: Starlette, server-rendered Jinja2 templates, assets served locally."""
