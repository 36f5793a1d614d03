"""Models of the sla domain."""
