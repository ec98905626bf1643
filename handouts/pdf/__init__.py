"""PDF files: the structure tree and atomic, reproducible writing."""
