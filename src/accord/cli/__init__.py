"""Accord's command line: ``accord analyze``, ``accord frontier``, ``accord evaluate``, ...

Each command lives in its own module of this package (``accord/cli/<command>.py``) and registers itself on
the shared :data:`app`; this file imports them all. Commands import numpy and the analysis lazily, inside the
command function, so ``accord --help`` stays instant. Every :class:`~accord.errors.AccordError` becomes one
line on stderr and exit code 2 (see :func:`main`).
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

from accord.cli._app import app

for _mod in pkgutil.iter_modules(__path__):
    if not _mod.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_mod.name}")


def main() -> None:
    """Entry point of the ``accord`` command: user errors print one line and exit with code 2."""
    from accord.errors import AccordError

    try:
        app(standalone_mode=False)
    except AccordError as err:
        print(f"accord: error: {err}", file=sys.stderr)
        raise SystemExit(2) from None
    except KeyboardInterrupt:
        print("accord: interrupted", file=sys.stderr)
        raise SystemExit(130) from None
    except SystemExit:
        raise
    except Exception as err:  # click's usage errors and the like
        # Duck-typed: typer >= 0.29 vendors click (typer._click), older typer uses click itself.
        show = getattr(err, "show", None)
        if callable(show) and hasattr(err, "exit_code"):
            if type(err).__name__ == "NoArgsIsHelpError" or not callable(getattr(err, "format_message", None)):
                show()  # `accord` (or a group) alone: the help is the answer
            else:
                print(f"accord: error: {_usage_message(err)}", file=sys.stderr)
            raise SystemExit(2) from None
        if type(err).__name__ == "Abort":
            raise SystemExit(1) from None
        raise


def _usage_message(err: Exception) -> str:
    """A usage error as one line, with the help command of the (sub)command it concerns."""
    message = " ".join(str(err.format_message()).split()).rstrip(".")  # type: ignore[attr-defined]
    ctx = getattr(err, "ctx", None)
    names: list[str] = []
    while ctx is not None and getattr(ctx, "parent", None) is not None:
        names.append(str(ctx.info_name))
        ctx = ctx.parent
    return f"{message}; see 'accord {' '.join([*reversed(names), '--help'])}'"


__all__ = ["app", "main"]
