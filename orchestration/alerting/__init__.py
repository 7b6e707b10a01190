"""Alerts: what to say (low stock, failed checks) and where to say it (file, webhook, Slack)."""
