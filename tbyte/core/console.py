"""Terminal output: progress on stderr (so that --json output on stdout stays clean), results on stdout."""

from rich.console import Console
from rich.markup import escape
from rich.table import Table

progress = Console(stderr=True, highlight=False, emoji=False)
results = Console(highlight=False, emoji=False)


def say(message: str) -> None:
    """One progress line on stderr; never wrapped, since the lines carry commands to copy."""
    progress.print(message, soft_wrap=True)


def say_plain(text: str) -> None:
    """Text that is not markup (file names, Terraform addresses, ids): printed as it is."""
    progress.print(escape(text), soft_wrap=True)


def show(text: str) -> None:
    """A result line on stdout, printed as it is."""
    results.print(text, soft_wrap=True, markup=False)


def table(title: str, columns: list[str], rows: list[list]) -> None:
    view = Table(title=title, title_justify="left")
    for column in columns:
        view.add_column(column, justify="left" if column == columns[0] else "right")
    for row in rows:
        view.add_row(*[str(cell) for cell in row])
    results.print(view)
