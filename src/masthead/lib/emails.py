"""Email addresses as Masthead stores and compares them."""


def normalize_email(email: str) -> str:
    """Trimmed and lower-cased: one reader, one address, however it was typed."""
    return email.strip().lower()
