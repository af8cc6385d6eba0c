"""The ``health_check`` extension: an HTTP endpoint for Kubernetes probes and load balancers."""
