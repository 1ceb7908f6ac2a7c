"""Rasa SDK action server: custom actions and form validation, one module per flow."""
