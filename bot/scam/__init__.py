"""Scam types: the fixed IDs, their training narratives and the text classifier."""
