"""The public web entry: gateway, chat widget and pre-filled service request (see README-web.md)."""
