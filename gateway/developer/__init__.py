"""Developer self-service over HTTP: the `/developer/v1` JSON API and the account pages."""
