"""Site stage: derive what each page says at build time and render it (knows no engine)."""
