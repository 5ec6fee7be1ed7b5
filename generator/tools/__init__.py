"""Maintainer tools over the data (review, scaffold, quality report); never part of the site build."""
