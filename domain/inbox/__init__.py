"""Mail (and later other messages) customers send us: read, acted upon or passed to staff."""
