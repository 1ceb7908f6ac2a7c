"""The public web service on WEB_PORT: the citizen web chat (later also the officer desk)."""
