"""Webhooks for clients: endpoints, an outbox written with each event, and Standard Webhooks delivery."""
