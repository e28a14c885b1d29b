"""Email addresses as Masthead stores, compares and sends from them."""

import ipaddress
import re
from email.utils import quote
from urllib.parse import urlsplit

# Characters that make a display name a quoted string (RFC 5322 "specials").
SPECIALS = re.compile(r'[][\\()<>@,:;".]')


def normalize_email(email: str) -> str:
    """Trimmed and lower-cased: one reader, one address, however it was typed."""
    return email.strip().lower()


def site_sender(site_name: str, site_url: str) -> str:
    """The site's sender, "Site Name <noreply@host>", from its name and address.

    A site on a loopback or bare IP address (a local run) sends as noreply@localhost:
    noreply@127.0.0.1 is no valid address, and mail servers refuse it.
    """
    host = urlsplit(site_url).hostname or "localhost"
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        host = "localhost"
    name = f'"{quote(site_name)}"' if SPECIALS.search(site_name) else site_name
    return f"{name} <noreply@{host}>"
