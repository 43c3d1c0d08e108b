"""The `madoguchi` command."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import Progress

from core.settings import Settings, SettingsError, load_settings

cli = typer.Typer(help="Madoguchi — the city's counter on residents' phones.", no_args_is_help=True)
console = Console()


def settings_or_exit() -> Settings:
    try:
        return load_settings()
    except SettingsError as error:
        console.print(f"[red]configuration error:[/red] {error}", highlight=False)
        raise typer.Exit(2) from None


def run_with_database(settings: Settings, work: Callable[[], Awaitable[Any]]) -> Any:
    """Migrate, connect, run `work`, close."""
    from tortoise import Tortoise

    from core import database

    async def main() -> Any:
        config = database.tortoise_config(
            settings.database_url, settings.db_pool_min, settings.db_pool_max
        )
        await database.migrate(config)
        await Tortoise.close_connections()
        await database.init(config)
        try:
            return await work()
        finally:
            await Tortoise.close_connections()

    return asyncio.run(main())


@cli.command()
def serve(
    workers: int = typer.Option(
        1, "--workers", min=1, max=64, help="processes to run (PostgreSQL only; SQLite runs one)"
    ),
) -> None:
    """Run the service (API, bot, and the workers unless RUN_WORKERS=false) on HOST:PORT."""
    import app

    _run_or_refuse(lambda settings: app.serve(settings, workers=workers))


@cli.command()
def work() -> None:
    """Run the shared background loops (outbox, jobs) without an HTTP server (PostgreSQL only).

    Beside `serve` processes with RUN_WORKERS=false; several may run. SIGTERM or Ctrl-C stops
    it once the delivery rounds in flight are done.
    """
    import app

    _run_or_refuse(app.work)


def _run_or_refuse(run: Callable[[Settings], None]) -> None:
    """Run a process of the service; one red line and exit code 2 if it cannot run as asked."""
    import app

    settings = settings_or_exit()
    try:
        run(settings)
    except app.ServeRefused as refused:
        console.print(f"[red]{refused}[/red]", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None


@cli.command()
def migrate() -> None:
    """Apply pending database migrations."""
    settings = settings_or_exit()

    async def nothing() -> None:
        return None

    run_with_database(settings, nothing)
    console.print("migrations applied")


@cli.command("seed-demo")
def seed_demo() -> None:
    """Create the demo city (二本松市): departments, staff, residents and each domain's data."""
    import demo

    run_with_database(settings_or_exit(), lambda: demo.seed(console.print))
    console.print("demo data ready")


@cli.command("create-staff")
def create_staff(
    email: str = typer.Option(..., help="log-in e-mail"),
    department: str = typer.Option(..., help="department code, e.g. roads"),
    role: str = typer.Option("clerk", help="clerk, field_staff or admin"),
    name: str = typer.Option(..., help="display name"),
    password: str = typer.Option(
        ..., prompt=True, hide_input=True, confirmation_prompt=True, help="at least 8 characters"
    ),
) -> None:
    """Create a staff account in a department with a role."""
    from accounts.models import Role
    from accounts.service import create_staff as create
    from core.errors import AppError
    from core.i18n import t

    try:
        staff_role = Role(role)
    except ValueError:
        console.print(f"[red]role must be one of: {', '.join(r.value for r in Role)}[/red]")
        raise typer.Exit(2) from None

    async def work() -> None:
        staff = await create(
            email=email,
            password=password,
            display_name=name,
            department_code=department,
            role=staff_role,
        )
        console.print(f"created staff {staff.email} ({staff_role.value}, {department})")

    try:
        run_with_database(settings_or_exit(), work)
    except AppError as error:
        console.print(f"[red]{t(error.message_key, 'en', **error.params)}[/red] ({error.field})")
        raise typer.Exit(1) from None


@cli.command("booking-jobs")
def booking_jobs() -> None:
    """Run booking's periodic jobs once: lottery draws, lapsed holds, stale payments, refunds."""
    from booking.worker import BookingWorker
    from payments.gateway import close_for

    settings = settings_or_exit()

    async def work():
        try:
            return await BookingWorker(settings).run_once()
        finally:
            await close_for(settings)

    done = run_with_database(settings, work)
    console.print(
        f"lotteries drawn: {done.drawn}, holds expired: {done.expired}, "
        f"sessions synced: {done.sessions_synced}, refunds sent: {done.refunds_sent}"
    )


@cli.command("import-procedures")
def import_procedures(
    directory: Path = typer.Argument(
        ..., exists=True, file_okay=False, readable=True, help="folder of definition JSON files"
    ),
) -> None:
    """Load procedure and life-event definitions; a changed procedure gets a new version."""
    from applications.catalogue.files import DefinitionError
    from applications.catalogue.service import import_directory

    try:
        summary = run_with_database(settings_or_exit(), lambda: import_directory(directory))
    except DefinitionError as error:
        for file, path, what in error.problems:
            console.print(f"[red]{file}[/red]: {path}: {what}", highlight=False)
        raise typer.Exit(1) from None
    console.print(
        f"created: {len(summary.created)}, new versions: {len(summary.new_versions)}, "
        f"unchanged: {len(summary.unchanged)}"
    )


@cli.command("applications-jobs")
def applications_jobs() -> None:
    """Run the applications jobs once: stale drafts, attachments past their retention."""
    from applications.privacy.jobs import run_jobs

    settings = settings_or_exit()
    done = run_with_database(settings, lambda: run_jobs(settings))
    console.print(f"drafts deleted: {done.drafts_deleted}, files deleted: {done.files_deleted}")


@cli.command("verify-lottery")
def verify_lottery(lottery_id: str = typer.Argument(..., help="the lottery's id")) -> None:
    """Check a drawn lottery: the seed matches its published hash and yields the announced order."""
    from booking.lottery.check import check_draw
    from core.errors import AppError

    try:
        check = run_with_database(settings_or_exit(), lambda: check_draw(lottery_id))
    except AppError:
        console.print(f"[red]no lottery {lottery_id}[/red]")
        raise typer.Exit(1) from None
    console.print(f"seed hash (published): {check.seed_hash}")
    if check.seed is None:
        console.print("not drawn yet: the seed is still secret")
        return
    console.print(f"seed (revealed):       {check.seed}")
    console.print(f"slot key:              {check.slot_key}")
    console.print(f"entrants:              {len(check.entrants)}")
    for position, entry_id in enumerate(check.order, start=1):
        console.print(f"  {position:>3}. {entry_id}")
    console.print(f"seed matches its hash: {'yes' if check.seed_matches else 'NO'}")
    console.print(f"order re-drawn:        {'same' if check.order_matches else 'DIFFERENT'}")
    if not (check.seed_matches and check.order_matches):
        raise typer.Exit(1)


@cli.command("create-open311-key")
def create_open311_key(
    name: str = typer.Argument(..., help="who the key is for, e.g. the app's name"),
) -> None:
    """Issue an API key for an Open311 client (POST /open311/v2/requests)."""
    from reports.open311.service import create_key

    async def work() -> str:
        _, plain = await create_key(name)
        return plain

    plain = run_with_database(settings_or_exit(), work)
    console.print(f"Open311 API key for {name} (shown once, keep it):", highlight=False)
    print(plain)


@cli.command("move-media")
def move_media(
    keep: bool = typer.Option(
        False, "--keep", help="copy only: leave the files on disk (to switch over without a gap)"
    ),
) -> None:
    """Move report photos and application attachments from MEDIA_DIR to the STORAGE_URL bucket.

    Each copy is checked before its file is removed; running it again goes on where it stopped.
    """
    from applications.attachments.service import ATTACHMENT_KEYS
    from applications.attachments.service import NAMESPACE as ATTACHMENTS
    from core.storage import disk_storage
    from core.storage.object_store import ObjectStorage, move_to_bucket
    from reports.storage import NAMESPACE as PHOTOS
    from reports.storage import PHOTO_KEYS

    settings = settings_or_exit()
    bucket = settings.deployment.object_store
    if bucket is None:
        console.print(
            "[red]STORAGE_URL is not set to an s3://bucket/prefix: nowhere to move to[/red]"
        )
        raise typer.Exit(2)

    async def work() -> None:
        for namespace, scheme in ((PHOTOS, PHOTO_KEYS), (ATTACHMENTS, ATTACHMENT_KEYS)):
            disk = disk_storage(settings, namespace, scheme=scheme)
            total = sum(1 for _ in disk.root.glob("??/*")) if disk.root.is_dir() else 0
            with Progress(console=console, transient=True) as progress:
                task = progress.add_task(namespace, total=total)
                done = await move_to_bucket(
                    disk,
                    ObjectStorage(bucket, namespace, scheme=scheme),
                    keep=keep,
                    progress=lambda _key, task=task: progress.advance(task),
                )
            console.print(
                f"{namespace}: copied {done.moved}, already in the bucket {done.already_there}, "
                f"other files left alone {done.ignored}" + (" (kept on disk)" if keep else ""),
                highlight=False,
            )

    asyncio.run(work())


@cli.command("export-schema")
def export_schema(
    path: str = typer.Argument("graphql/schema.graphql", help="where to write the SDL"),
) -> None:
    """Write the GraphQL schema (SDL) that the code defines."""
    from pathlib import Path

    from api.schema import export_sdl

    Path(path).write_text(export_sdl(), encoding="utf-8")
    console.print(f"wrote {path}")


@cli.command("error-codes")
def error_codes(
    path: str = typer.Argument("README.md", help="the file whose table to rewrite"),
) -> None:
    """Rewrite the README's table of error codes from core/errors.py."""
    from pathlib import Path

    from core.errors import readme_with_error_codes

    target = Path(path)
    target.write_text(readme_with_error_codes(target.read_text(encoding="utf-8")), encoding="utf-8")
    console.print(f"wrote the error codes into {path}")


@cli.command("import-geo")
def import_geo(
    paths: list[Path] = typer.Argument(
        ..., exists=True, dir_okay=False, readable=True, help="CSV or GeoJSON files"
    ),
    keep_missing: bool = typer.Option(
        False,
        "--keep-missing",
        help="keep stored rows of the files' municipalities they no longer list",
    ),
) -> None:
    """Import evacuation sites, shelters or AEDs (GSI, 推奨データセット, 自治体標準オープンデータセット).

    Running servers pick the new data up within seconds. Importing a file again updates it.
    """
    from geo.importing.console import import_paths

    ok = run_with_database(
        settings_or_exit(), lambda: import_paths(paths, console, keep_missing=keep_missing)
    )
    if not ok:
        raise typer.Exit(1)


def _alert_listeners() -> None:
    """What must hear of an alert before its broadcast, in this process too."""
    from disaster import hooks

    hooks.install()


@cli.command("import-alert")
def import_alert(
    source: str = typer.Argument(
        ..., help="a CAP 1.2 or 気象庁防災情報XML file, or its http(s) URL"
    ),
) -> None:
    """Create or update an alert from a CAP 1.2 message or a JMA XML telegram.

    Only the parts for the city's area codes (JMA_CITY_CODES ...) are kept; the same message
    again changes nothing; an invalid one is refused with the reason.
    """
    from notifications.alerts.importing import ImportRefused, import_document
    from notifications.alerts.sources import SourceError, read_source

    _alert_listeners()
    settings = settings_or_exit()

    async def work():
        return await import_document(await read_source(source), settings)

    try:
        imported = run_with_database(settings, work)
    except (ImportRefused, SourceError) as error:
        console.print(f"[red]refused:[/red] {error}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    alert = imported.alert
    line = f"{imported.outcome.value}"
    if alert is not None:
        line += f": {alert.public_id} {alert.msg_type.value} {alert.event} — {alert.headline}"
    if imported.reason:
        line += f" ({imported.reason})"
    console.print(line, highlight=False, soft_wrap=True)


@cli.command("watch-jma")
def watch_jma(
    feed: list[str] = typer.Option(
        ..., "--feed", help="a JMA Atom feed URL (extra.xml, eqvol.xml)"
    ),
    interval: int = typer.Option(60, min=10, help="seconds between polls"),
    once: bool = typer.Option(False, "--once", help="poll each feed once and stop"),
) -> None:
    """Poll JMA's Atom feeds and import each new telegram for the city once."""
    from notifications.alerts.jma_feed import watch

    _alert_listeners()
    settings = settings_or_exit()
    run_with_database(
        settings,
        lambda: watch(
            feed,
            settings,
            interval=interval,
            once=once,
            report=lambda line: console.print(line, highlight=False, soft_wrap=True),
        ),
    )


def main(argv: list[str] | None = None) -> None:
    cli(args=argv if argv is not None else sys.argv[1:], prog_name="madoguchi")


if __name__ == "__main__":
    main()
