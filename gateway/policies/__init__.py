"""The gateway's request policies, one concern per module (order: `gateway.app`)."""
