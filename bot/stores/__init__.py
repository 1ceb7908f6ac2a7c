"""Persistent stores: Rasa's conversation trackers (and later the officer desk's cases)."""
