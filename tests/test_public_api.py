"""The package re-exports: every public name resolves, the ambiguous names are the functions, and the lazy ones
stay lazy (``accord --help`` and reading a case file do not pay for what they do not use)."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("package", ["accord", "accord.analysis", "accord.io", "accord.tactics"])
def test_every_public_name_resolves(package: str) -> None:
    import importlib

    mod = importlib.import_module(package)
    for name in mod.__all__:
        assert getattr(mod, name) is not None, f"{package}.{name}"


def test_functions_named_like_their_modules_are_the_functions() -> None:
    import accord.analysis
    import accord.analysis.bargaining  # importing the module must not rebind the name
    import accord.analysis.perception
    from accord.analysis import bargaining, evaluate, pareto_frontier, perception
    from accord.model import Case

    assert callable(bargaining) and callable(perception)
    assert accord.analysis.bargaining is bargaining and accord.analysis.perception is perception
    # the modules themselves stay reachable the documented way
    from accord.analysis.bargaining import compromise_package
    from accord.analysis.perception import check_estimate

    assert sys.modules["accord.analysis.bargaining"].compromise_package is compromise_package
    assert sys.modules["accord.analysis.perception"].check_estimate is check_estimate
    case = Case.from_tables("t", {"a": ["x", "y"]}, {"A": {"a": [0, 1]}, "B": {"a": [1, 0]}}, shared_scales=True)
    assert len(pareto_frontier(case)) == 2
    assert bargaining(case).solutions["max_joint"].joint_value == 1.0
    assert evaluate(case, "a=x").level == 3


def test_lazy_imports_stay_lazy() -> None:
    code = (
        "import sys\n"
        "import accord.cli\n"
        "assert 'accord.io' not in sys.modules and 'accord.analysis' not in sys.modules, 'cli start-up'\n"
        "import accord.io\n"
        "assert 'accord.io.genius' not in sys.modules and 'accord.io.agreements' not in sys.modules\n"
        "from accord.io import load_scenario, read_agreements\n"
        "assert 'accord.io.genius' in sys.modules and 'accord.io.agreements' in sys.modules\n"
        "from accord.io import genius\n"
        "assert genius.load_scenario is load_scenario\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_unknown_names_raise_attribute_error() -> None:
    import accord.io

    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        accord.io.nothing  # noqa: B018
