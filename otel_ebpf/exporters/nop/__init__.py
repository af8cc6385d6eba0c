"""The ``nop`` exporter: discards everything, counted."""
