"""Plain functions that do the work behind the thin views: fetch, check, act, record."""
