"""Aggregating results into findings and rendering them: JSON, JUnit, Markdown, terminal, GitHub."""
