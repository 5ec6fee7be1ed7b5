"""`python -m generator sources check`: re-read every source the data cites and say what no longer holds.

fetch (the polite, capped HTTP client) → extract (page text) → judge (a status per fact)
→ proposals (what a company's own structured data lists that the data lacks) → report.
`data` is the one module that imports the project's loader and models; `command` is the CLI glue.
"""
