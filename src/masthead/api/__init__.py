"""Interfaces for other programs: the JSON API and webhooks."""
