"""Maintainer tools over the data (review, scaffold, quality report, source watch); never part of the site build."""
