"""Data stage: read the YAML, check it, and give typed models (nothing here knows the site)."""
