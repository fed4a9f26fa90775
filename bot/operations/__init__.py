"""Processes and service operations: the launcher and its supervisor, start-up checks, the
action server, the database schema step, systemd units, the purge, the report and the
feedback store."""
