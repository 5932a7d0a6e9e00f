"""One way to put a user's text on the terminal literally.

Names in a case file (parties, issues, options, the case itself, events, file paths) are the user's text, and
rich reads square brackets as markup: a party called ``[/]`` crashes rich with a ``MarkupError`` and an option
called ``[red]`` silently disappears. Every rich ``print`` that holds such text passes it through :func:`esc`
(or prints with ``markup=False``), with Accord's own styling (``[bold]...[/bold]``) written around it; tables
that hold names are made with :func:`literal_table`, whose title, headers and cells are never markup.
"""

from __future__ import annotations

from typing import Any


def esc(value: object) -> str:
    """``value`` as text that rich prints literally (markup brackets and a trailing backslash escaped).

    Examples
    --------
    >>> esc("[/]")
    '\\\\[/]'
    >>> esc("salary")
    'salary'
    """
    from rich.markup import escape

    return escape(str(value))


def literal_table(*args: Any, **kwargs: Any) -> Any:
    """A :class:`rich.table.Table` whose title, column headers and text cells are shown literally.

    Use it wherever a table holds names from the case file: plain ``str`` headers and cells become
    :class:`rich.text.Text` (never markup); cells that are already rich renderables (a styled ``Text``)
    are kept as they are.
    """
    from rich.table import Table
    from rich.text import Text

    class _LiteralTable(Table):
        def add_column(self, header: Any = "", *a: Any, **k: Any) -> None:
            super().add_column(Text(header) if isinstance(header, str) else header, *a, **k)

        def add_row(self, *cells: Any, **k: Any) -> None:
            super().add_row(*(Text(c) if isinstance(c, str) else c for c in cells), **k)

        def __rich_console__(self, console: Any, options: Any) -> Any:
            # Wrap between words, never inside one ("Pareto-o…"): each column is at least as wide as its
            # longest word whenever all of them fit the terminal together.
            longest = []
            for column in self.columns:
                texts = [column.header, *column.cells]
                words = [w for t in texts if isinstance(t, Text | str) for w in str(t).split()]
                longest.append(max((len(w) for w in words), default=1))
            edges = 2 if self.box else 0
            overhead = edges + sum(self.padding[1] + self.padding[3] for _ in self.columns) + len(self.columns) - 1
            if sum(longest) + overhead <= options.max_width:
                for column, width in zip(self.columns, longest, strict=True):
                    column.min_width = max(column.min_width or 0, width)
            else:  # too narrow for whole words: fold them rather than cut them off with "…"
                for column in self.columns:
                    if column.overflow == "ellipsis":
                        column.overflow = "fold"
            return super().__rich_console__(console, options)

    title = kwargs.get("title")
    if isinstance(title, str):
        kwargs["title"] = Text(title, style=kwargs.get("title_style") or "table.title")
    return _LiteralTable(*args, **kwargs)
