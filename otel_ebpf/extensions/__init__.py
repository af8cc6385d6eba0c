"""Extensions: components outside the pipelines (``service.extensions``), one folder per type."""
