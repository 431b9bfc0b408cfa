"""Output formats for lint results (``human`` is the terminal format)."""
