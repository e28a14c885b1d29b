"""Signed webhooks: publication and discussion events POSTed to URLs staff register."""
