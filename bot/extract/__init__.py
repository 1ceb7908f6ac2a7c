"""Account details in citizens' words → normalised values (cards, banks, phones, amounts, times …).

Pure functions over text; the Rasa component in bot/nlu wraps them. Offsets always refer to the
text as given (every rewrite here is one character for one character).
"""
