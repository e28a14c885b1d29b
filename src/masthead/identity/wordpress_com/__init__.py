"""WordPress.com login: allauth ships no provider for it, so Masthead has its own."""
