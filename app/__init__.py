"""Shifu web service: orders, technicians, jobs and dispatch over HTTP."""
