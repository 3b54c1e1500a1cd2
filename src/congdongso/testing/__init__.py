"""Helpers for the test suite: small, real hierarchies built through the services."""
