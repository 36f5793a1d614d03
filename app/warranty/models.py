"""Models of the warranty domain."""
