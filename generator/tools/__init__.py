"""Maintainer tools: read the data, never part of the site build."""
