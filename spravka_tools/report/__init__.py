"""The editors' report: figures from the question log, as text or as one page with charts."""
