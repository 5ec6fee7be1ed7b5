"""Adapters: hand the rendered site to an engine (MkDocs) or write it to a folder."""
