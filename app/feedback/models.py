"""Models of the feedback domain."""
