"""The ``debug`` exporter: what a user sees on the terminal when there is no backend."""
