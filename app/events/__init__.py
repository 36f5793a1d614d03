"""Domain events: one ordered, append-only stream that the domains, brands' webhooks and live screens read."""
