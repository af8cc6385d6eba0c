"""The ``probabilistic_sampler`` processor: keeps a percentage of traces, by trace id."""
