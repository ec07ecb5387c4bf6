"""Measures catalogue: YAML schema, database models, loader and queries."""
