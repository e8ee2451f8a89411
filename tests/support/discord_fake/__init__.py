"""A fake Discord REST API and real-format interaction payloads for adapter tests."""
