"""Terminal output: progress on stderr (so that --json output on stdout stays clean), results on stdout."""

from rich.console import Console
from rich.table import Table

progress = Console(stderr=True, highlight=False, emoji=False)
results = Console(highlight=False, emoji=False)


def say(message: str) -> None:
    progress.print(message)


def table(title: str, columns: list[str], rows: list[list[str]]) -> None:
    view = Table(title=title, title_justify="left")
    for column in columns:
        view.add_column(column, justify="left" if column == columns[0] else "right")
    for row in rows:
        view.add_row(*[str(cell) for cell in row])
    results.print(view)
