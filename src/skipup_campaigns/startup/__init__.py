"""Settings → what the UI and the commands start from, without Textual: connection.py (how to
make the client), list_cache.py (the last loaded list, drawn at once on a warm start),
early_page.py (a cold start's first page, fetched while the UI imports)."""
