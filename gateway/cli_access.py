"""`tsunagu access list|approve|deny` (production access requests, ADR 0025) and
`tsunagu app disable`.

The CLI acts with the operator's authority; `--provider ID` narrows it to one provider, which
sees and decides only requests for its own APIs (as through the admin API). Times are Japan
time with the offset.
"""

from __future__ import annotations

import getpass
from typing import TYPE_CHECKING, Annotated

import typer

from gateway import cli_output as out
from gateway.cli import Fmt, group, registry
from gateway.cli_errors import reported
from gateway.cli_output import OutputFormat
from registry.models import AccessRequestView, AccessState
from registry.principal import Principal, Role, cli_operator

if TYPE_CHECKING:  # the store comes with the service, when a command runs
    from registry.accounts.access import AccessService
    from registry.service import RegistryService

Provider = Annotated[
    str | None,
    typer.Option("--provider", help="act as this provider (only its APIs' requests)"),
]
RequestId = Annotated[int, typer.Argument(help="the request's id (from `access list`)", min=1)]
Reason = Annotated[str | None, typer.Option("--reason", help="told to the developer")]


def _principal(provider: str | None) -> Principal:
    if provider is None:
        return cli_operator()
    subject = f"cli:{getpass.getuser()}"
    return Principal(role=Role.PROVIDER, subject=subject, provider_id=provider)


def request_json(request: AccessRequestView) -> dict[str, object]:
    document: dict[str, object] = request.model_dump(mode="json")
    document.update(created_at=out.iso(request.created_at), decided_at=out.iso(request.decided_at))
    return document


def access_list(
    provider: Provider = None,
    state: Annotated[
        str, typer.Option("--state", help="pending (default), approved, denied or all")
    ] = "pending",
    fmt: Fmt = OutputFormat.TEXT,
) -> None:
    """Production access requests for your APIs, oldest first."""
    with reported():
        wanted = None if state == "all" else AccessState(state)
    with registry() as svc:
        rows = _access(svc).list_requests(_principal(provider), wanted)
    headers = ["id", "api", "app", "client_id", "state", "requested", "use"]
    body = [
        [r.id, r.slug, r.app, r.client_id, r.state.value, out.iso(r.created_at), r.use_description]
        for r in rows
    ]
    lines = out.table(headers, body) if rows else ["申請はありません / no requests"]
    out.emit(fmt, [request_json(r) for r in rows], lines)


def _decide(
    request_id: int, approve: bool, provider: str | None, reason: str | None, fmt: Fmt
) -> None:
    with registry() as svc:
        access = _access(svc)
        decided = access.decide(_principal(provider), request_id, approve, reason)
    line = f"{decided.id} {decided.slug} {decided.client_id}: {decided.state.value}"
    out.emit(fmt, request_json(decided), [line])


def access_approve(
    request_id: RequestId,
    provider: Provider = None,
    reason: Reason = None,
    fmt: Fmt = OutputFormat.TEXT,
) -> None:
    """Approve: the app may call the API with its next token; the developer is mailed."""
    _decide(request_id, True, provider, reason, fmt)


def access_deny(
    request_id: RequestId,
    provider: Provider = None,
    reason: Reason = None,
    fmt: Fmt = OutputFormat.TEXT,
) -> None:
    """Deny (say why with --reason); the developer is mailed."""
    _decide(request_id, False, provider, reason, fmt)


def app_disable(
    client_id: Annotated[str, typer.Argument(help="the app's client_id")],
    fmt: Fmt = OutputFormat.TEXT,
) -> None:
    """Disable an app: no new tokens, and its current tokens stop within the snapshot refresh."""
    with registry() as svc:
        _access(svc).disable_app(cli_operator(), client_id)
    out.emit(fmt, {"client_id": client_id, "disabled": True}, [f"{client_id}: disabled"])


def register(root: typer.Typer, apps: typer.Typer) -> None:
    access = group("Production access requests (providers decide).")
    access.command("list")(access_list)
    access.command("approve")(access_approve)
    access.command("deny")(access_deny)
    root.add_typer(access, name="access")
    apps.command("disable")(app_disable)


def _access(svc: RegistryService) -> AccessService:
    from registry.accounts.access import AccessService

    return AccessService(svc.store, svc.settings)
