"""Speech recognition, text-to-speech and audio transports (filled in by the voice-line work)."""
