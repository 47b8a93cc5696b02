"""Maintenance scripts run by hand or by the merger (not part of the installed service)."""
