"""The JSON API at /api/v1/, its tokens, and (in sub-apps) what builds on it."""
