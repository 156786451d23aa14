"""The `tsunagu` command line: registry operations as the operator (CONTRACT.md, "CLI").

A thin door onto `RegistryService`, the same code path the admin API uses. Exit codes: 0 done,
1 refused (lint errors, bad state, forbidden), 2 bad input (unreadable file, unknown API,
invalid arguments, unreachable store), always with one line on stderr and never a traceback.

`serve` and `demo` live in `gateway.cli_serve`, which registers them on the root app.

Start-up stays light (`tsunagu --help` well under 0.3 s): a `cli*` module imports only typer,
the standard library and small registry modules at the top; anything heavier (the store and
SQLAlchemy, the linter, settings, uvicorn, the portal build) is imported inside the command
function that uses it. `tests/gateway/cli/test_startup.py` keeps it that way.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gateway import cli_output as out
from gateway import cli_portal, cli_serve
from gateway.cli_errors import cli_language, reported, say_error
from gateway.cli_output import OutputFormat
from registry.errors import InvalidInput

if TYPE_CHECKING:
    from registry.principal import Principal
    from registry.service import RegistryService

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

Fmt = Annotated[
    OutputFormat,
    typer.Option("--format", case_sensitive=False, help="text (default) or json"),
]
Slug = Annotated[str, typer.Argument(help="the API's slug")]
Version = Annotated[str, typer.Argument(help="the major version, e.g. v1")]


@contextmanager
def registry() -> Iterator[RegistryService]:
    """The service over the configured store (TSUNAGU_DATABASE_URL), closed afterwards."""
    from registry.service import RegistryService
    from registry.settings import load_settings
    from registry.store import open_store

    with reported():
        settings = load_settings()
        store = open_store(settings)
        try:
            yield RegistryService(store, settings)
        finally:
            store.dispose()


def operator() -> Principal:
    """The CLI acts as the operator (whoever can reach the store's database can anyway)."""
    from registry.principal import cli_operator

    return cli_operator()


def read_file(path: Path) -> bytes:
    """At most one byte more than the intake accepts, so a huge file (or /dev/zero) is refused
    by the size check without being read whole."""
    from registry.intake.limits import MAX_BYTES

    try:
        with path.open("rb") as source:
            return source.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InvalidInput(
            "unreadable-file", path=str(path), reason=exc.strerror or str(exc)
        ) from exc


def parse_day(value: str, option: str) -> date:
    try:
        if _DATE.fullmatch(value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise InvalidInput("invalid-date", option=option, value=repr(value))


def lint(file: Path, fmt: Fmt = OutputFormat.TEXT) -> None:
    """Conformance report of an OpenAPI document; exit 1 when it has error findings."""
    from registry.intake import load_document
    from registry.lint import lint_document, report_to_json

    with reported():
        report = lint_document(load_document(read_file(file)))
    out.emit(fmt, report_to_json(report), out.lint_lines(report))
    if report.errors:
        raise typer.Exit(1)


def provider_add(
    provider_id: Annotated[str, typer.Argument(metavar="ID")],
    *,
    name_ja: Annotated[str, typer.Option("--name-ja")],
    name_en: Annotated[str, typer.Option("--name-en")],
    contact: Annotated[str, typer.Option("--contact", help="e-mail address")],
    notice_days: Annotated[int | None, typer.Option("--notice-days", min=0, max=3650)] = None,
    fmt: Fmt = OutputFormat.TEXT,
) -> None:
    """Add an API provider (a ministry or department)."""
    with registry() as svc:
        provider = svc.add_provider(
            operator(), provider_id, name_ja, name_en, contact, notice_days=notice_days
        )
    data = out.provider_json(provider)
    out.emit(fmt, data, out.mapping_lines(data))


def api_register(
    file: Path,
    provider: Annotated[str, typer.Option("--provider", help="provider id")],
    upstream: Annotated[str, typer.Option("--upstream", help="upstream base URL")],
    slug: Annotated[str | None, typer.Option("--slug")] = None,
    fmt: Fmt = OutputFormat.TEXT,
) -> None:
    """Store a draft version from an OpenAPI document (lint errors do not block the draft)."""
    with registry() as svc:
        document = read_file(file)
        result = svc.register(operator(), provider, document, upstream, slug=slug)
    out.emit(fmt, out.register_json(result), out.register_lines(result, cli_language()))


def api_publish(slug: Slug, version: Version, fmt: Fmt = OutputFormat.TEXT) -> None:
    """Publish a draft; refused while its lint report has errors."""
    with registry() as svc:
        view = svc.publish(operator(), slug, version)
    out.emit(fmt, out.version_json(view), out.version_lines(view))


def api_deprecate(
    slug: Slug,
    version: Version,
    *,
    sunset: Annotated[str, typer.Option("--sunset", help="YYYY-MM-DD (00:00 Japan time)")],
    successor: Annotated[str | None, typer.Option("--successor")] = None,
    note: Annotated[str | None, typer.Option("--note", help="migration note")] = None,
    fmt: Fmt = OutputFormat.TEXT,
) -> None:
    """Deprecate a version; the sunset must be at least the notice period away."""
    with reported():
        day = parse_day(sunset, "--sunset")
    with registry() as svc:
        view = svc.deprecate(operator(), slug, version, day, successor=successor, note=note)
    out.emit(fmt, out.version_json(view), out.version_lines(view))


def api_retire(slug: Slug, version: Version, fmt: Fmt = OutputFormat.TEXT) -> None:
    """Retire a version: the gateway answers 410 from then on."""
    with registry() as svc:
        view = svc.retire(operator(), slug, version)
    out.emit(fmt, out.version_json(view), out.version_lines(view))


def api_brownout(
    slug: Slug,
    version: Version,
    *,
    start: Annotated[str, typer.Option("--start", help='"YYYY-MM-DD HH:MM" (Japan time)')],
    minutes: Annotated[int, typer.Option("--minutes", help="length of the window")],
    fmt: Fmt = OutputFormat.TEXT,
) -> None:
    """Schedule a brownout of a deprecated version: 410 `brownout` during the window."""
    from registry.brownouts import parse_start

    with reported():
        begins = parse_start(start)
    with registry() as svc:
        view = svc.brownout(operator(), slug, version, begins, minutes)
    out.emit(fmt, out.version_json(view), out.version_lines(view))


def api_show(slug: Slug, version: Version, fmt: Fmt = OutputFormat.TEXT) -> None:
    """One version's lifecycle facts: dates, successor, brownouts, lint figures."""
    with registry() as svc:
        view = svc.get_version(operator(), slug, version)
    out.emit(fmt, out.version_json(view), out.version_lines(view))


def api_waive(
    slug: Slug,
    version: Version,
    rule: Annotated[str, typer.Option("--rule", help="rule id, e.g. ATG-DOC-05")],
    reason: Annotated[str, typer.Option("--reason")],
    fmt: Fmt = OutputFormat.TEXT,
) -> None:
    """Record an operator waiver for one conformance rule of a version."""
    with registry() as svc:
        view = svc.waive(operator(), slug, version, rule, reason)
    out.emit(fmt, out.version_json(view), out.version_lines(view))


def api_list(fmt: Fmt = OutputFormat.TEXT) -> None:
    """Every API version with its state, provider, publication and sunset."""
    with registry() as svc:
        rows = svc.list_apis(operator())
    out.emit(fmt, out.summaries_json(rows), out.summaries_lines(rows))


def api_consumers(slug: Slug, version: Version, fmt: Fmt = OutputFormat.TEXT) -> None:
    """Apps that called a version, with their last call and call count."""
    with registry() as svc:
        rows = svc.consumers(operator(), slug, version)
    out.emit(fmt, out.consumers_json(rows), out.consumers_lines(rows))


def app_create(
    name: Annotated[str, typer.Option("--name")],
    owner: Annotated[str, typer.Option("--owner", help="owner e-mail")],
    scopes: Annotated[str, typer.Option("--scopes", help='API slugs, e.g. "a b"; "" for none')],
    sandbox: Annotated[bool, typer.Option("--sandbox", help="a sandbox-only app")] = False,
    fmt: Fmt = OutputFormat.TEXT,
) -> None:
    """Create an app (OAuth client); its secret is printed this once only."""
    grants = [s for s in re.split(r"[\s,]+", scopes) if s]
    with registry() as svc:
        created = svc.create_app(operator(), name, owner, grants, sandbox)
    out.emit(fmt, out.created_app_json(created), out.created_app_lines(created))


def app_api_key(
    client_id: Annotated[str, typer.Argument(help="the app that owns the key")],
    apis: Annotated[str, typer.Option("--apis", help='open-data API slugs, e.g. "postal"')],
    fmt: Fmt = OutputFormat.TEXT,
) -> None:
    """Issue an API key (X-API-Key header) for open-data APIs; it is printed this once only."""
    slugs = [s for s in re.split(r"[\s,]+", apis) if s]
    with registry() as svc:
        key = svc.create_api_key(operator(), client_id, slugs)
    document = {"api_key": key, "client_id": client_id, "apis": slugs}
    out.emit(fmt, document, [f"api_key: {key}", "The key is shown only this once; store it now."])


def help_when_bare(ctx: typer.Context) -> None:
    """A group called without a command prints its help and exits 0."""
    if ctx.invoked_subcommand is None:
        help_text = ctx.get_help()  # rich help prints itself and returns ""
        if help_text:
            typer.echo(help_text)
        raise typer.Exit(0)


def group(help_text: str) -> typer.Typer:
    return typer.Typer(help=help_text, invoke_without_command=True, callback=help_when_bare)


def build_cli() -> typer.Typer:
    """The root `tsunagu` app with every registry command and the present extensions."""
    root = typer.Typer(
        name="tsunagu",
        help="Tsunagu: government API gateway and developer portal.",
        invoke_without_command=True,
        callback=help_when_bare,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    root.command("lint")(lint)
    provider = group("API providers.")
    provider.command("add")(provider_add)
    root.add_typer(provider, name="provider")
    api = group("APIs and their versions.")
    api.command("register")(api_register)
    api.command("publish")(api_publish)
    api.command("deprecate")(api_deprecate)
    api.command("retire")(api_retire)
    api.command("waive")(api_waive)
    api.command("brownout")(api_brownout)
    api.command("show")(api_show)
    api.command("list")(api_list)
    api.command("consumers")(api_consumers)
    root.add_typer(api, name="api")
    apps = group("Apps (OAuth clients).")
    apps.command("create")(app_create)
    apps.command("api-key")(app_api_key)
    from gateway import cli_notices  # cli_notices imports this module

    cli_notices.register(root, apps)
    root.add_typer(apps, name="app")
    from gateway import cli_access  # cli_access imports this module

    cli_access.register(root, apps)
    cli_serve.register(root)
    cli_portal.register(root)
    from gateway.cli_status import status  # cli_status imports this module

    root.command("status")(status)
    return root


def main() -> None:
    """Console-script entry point: usage errors too end as one stderr line (exit 2)."""
    cli = build_cli()
    try:
        code = cli(standalone_mode=False)
    except typer.TyperException as exc:  # usage errors (exit 2) and other click-level errors
        say_error(exc.format_message())
        code = exc.exit_code
    except typer.Abort:
        say_error("aborted")
        code = 1
    sys.exit(code if isinstance(code, int) else 0)
