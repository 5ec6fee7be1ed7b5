"""Dónde Reclamo: company customer-service data → validated models → static site.

Stages, each importing only the ones before it:
loader → validate (models, fields, addresses, catalog) → derive → render → plugin.
"""
