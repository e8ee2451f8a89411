"""Test doubles for the Slack adapter: a fake Web API on loopback and signed payloads."""
