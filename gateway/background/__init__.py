"""The gateway's long-running services, started and stopped by the application's lifespan.

One list (`gateway.app`) says what runs in the background and in which order: services start
in list order and stop in reverse. A service that must run once across all gateway instances
(ADR 0012) sets `once_across_instances` and then runs only while it holds a `Lease`.
"""

from gateway.background.lease import FileLease, Lease, PostgresLease
from gateway.background.services import BackgroundService, BackgroundServices, Hooks

__all__ = [
    "BackgroundService",
    "BackgroundServices",
    "FileLease",
    "Hooks",
    "Lease",
    "PostgresLease",
]
