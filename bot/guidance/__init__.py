"""What the assistant knows and says: the council's content, reading what people type, the
referral check's rules, DSPL lookup, safeguarding, replies and redaction. Pure logic: it imports
nothing from Rasa, Sanic or the web (tests/test_rooms.py checks)."""
