"""Files and tables the service keeps: conversations (read for delete, purge and the report),
SQLite helpers, deletion markers, the tracker tables and the referral drafts."""
