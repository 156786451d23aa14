"""Developer self-service: accounts, sessions, e-mail links, apps and production access."""
