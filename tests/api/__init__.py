"""Tests of the JSON API and webhooks."""
