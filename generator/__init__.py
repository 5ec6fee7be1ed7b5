"""Dónde Reclamo: company customer-service data → validated models → static site.

Stages, each importing only the ones before it:
data (load, validate) → site (derive, render) → adapters (MkDocs plugin, folder writer); see the README's Layout.
"""
