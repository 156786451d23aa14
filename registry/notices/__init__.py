"""Change notices: the outbox's content (events, e-mail, webhook payloads), senders and worker."""
