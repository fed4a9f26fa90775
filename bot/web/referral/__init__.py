"""The pre-filled service request: token store, form, summary, delete and forwarding."""
