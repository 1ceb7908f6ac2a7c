"""Rasa SDK action server: custom actions and form validation, one module per flow."""
from bot.privacy import install_log_masking

install_log_masking()  # card and ID numbers never reach the action server's logs in full
