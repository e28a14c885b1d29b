"""OpenID Connect additions that allauth's openid_connect provider lacks."""
