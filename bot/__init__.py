"""96110 anti-fraud hotline assistant: custom Rasa components, channels and services."""
