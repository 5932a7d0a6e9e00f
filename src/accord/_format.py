"""How Accord writes a number for a person: one helper for every command, report and message.

It sits beside :mod:`accord.errors`, below every floor, so the model, the importers, the analysis and the
command line all write ``9,600`` (never ``9600`` in one place and ``9,600`` in another), never ``-0``, and
``n/a`` for a missing value. JSON output keeps full precision and never goes through here.
"""

from __future__ import annotations

import math


def fmt_number(x: float, digits: int = 3) -> str:
    """``x`` as a person reads it: thousands separated, whole numbers without decimals, else ``digits``
    significant digits; never ``-0``.

    Parameters
    ----------
    x : float
    digits : int
        Significant digits of a number that is not whole (3 in prose and tables, 6 where points differ in
        the fourth digit, e.g. GENIUS utilities between 0 and 1).

    Examples
    --------
    >>> fmt_number(9600.0), fmt_number(0.25), fmt_number(-1234.5), fmt_number(-1e-12), fmt_number(float("nan"))
    ('9,600', '0.25', '-1,234', '0', 'n/a')
    >>> fmt_number(0.853412, digits=6), fmt_number(172.62845, digits=6), fmt_number(-0.4, digits=0)
    ('0.853412', '172.628', '0')
    """
    if x is None or not math.isfinite(x):
        return "n/a"
    if abs(x) < 1e-9:
        return "0"
    if abs(x - round(x)) <= 1e-9 * max(1.0, abs(x)) or abs(x) >= 10 ** max(digits, 1) or digits < 1:
        r = round(x)
        return f"{r:,}" if r != 0 else "0"
    text = f"{x:,.{digits}g}"
    return "0" if float(text.replace(",", "")) == 0 else text
