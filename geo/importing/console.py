"""`madoguchi import-geo`: import files with a progress bar and print what each import did."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn

from geo.importing import ImportSummary, import_file
from geo.models import Aed, Shelter
from geo.readers import UnknownLayoutError


async def import_paths(paths: Sequence[Path], console: Console, *, keep_missing: bool) -> bool:
    """Import each file in turn; False if any could not be read (the others are imported)."""
    summaries: list[ImportSummary] = []
    failed = False
    with _progress(console) as progress:
        for path in paths:
            task = progress.add_task(path.name, total=max(path.stat().st_size, 1), rows=0)

            def advance(rows: int, done: int, total: int, task=task) -> None:
                progress.update(task, completed=done, total=max(total, 1), rows=rows)

            try:
                summaries.append(
                    await import_file(path, on_progress=advance, keep_missing=keep_missing)
                )
            except (UnknownLayoutError, UnicodeError) as error:
                failed = True
                progress.console.print(f"[red]{path.name}: not imported[/red] ({error})")
    for summary in summaries:
        console.print(summary_line(summary), highlight=False, soft_wrap=True)
    places, aeds = await Shelter.all().count(), await Aed.all().count()
    console.print(f"now stored: {places:,} evacuation sites and shelters, {aeds:,} AEDs")
    return not failed


def summary_line(summary: ImportSummary) -> str:
    s = summary
    skipped = ", ".join(f"{reason.value} {count:,}" for reason, count in sorted(s.skipped.items()))
    return (
        f"{s.path.name} ({s.layout}, {s.encoding}): {s.rows:,} rows: inserted {s.inserted:,}, "
        f"updated {s.updated:,}, unchanged {s.unchanged:,}, removed {s.removed:,}, "
        f"skipped {sum(s.skipped.values()):,}" + (f" ({skipped})" if skipped else "")
    )


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TextColumn("{task.fields[rows]:,} rows"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )
