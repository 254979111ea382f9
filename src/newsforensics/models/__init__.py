"""The one place that loads models: each loader is lazy and cached per process."""
