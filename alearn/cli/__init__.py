"""The ``alearn`` command line: parse arguments, call the library once, render.

The commands live by what they work on (``simulate``: run, report; ``label``;
``stores``: labels, stopping, merge, agreement; ``models``: export, predict,
explain), each registered on the one typer application (``app``).

Errors are mapped to exit codes here and nowhere else: an :class:`AlearnError`
prints one line and exits with its code; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import os
import signal
import sys
import threading


def _interrupted_while_starting(signum: int, frame: object) -> None:
    # Ctrl-C while the libraries load: nothing has been written yet, so leave at once
    # with one line instead of an import traceback.
    sys.stderr.write("error: interrupted (Ctrl-C) while starting; nothing was written\n")
    os._exit(130)


if threading.current_thread() is threading.main_thread():
    signal.signal(signal.SIGINT, _interrupted_while_starting)

# Each module registers its commands on `app`, in the order --help lists them.
# isort: off
from alearn.cli import simulate, label, stores, models  # noqa: E402,F401
# isort: on
from alearn.cli.app import app  # noqa: E402
from alearn.errors import AlearnError  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI and map errors to exit codes.

    Parameters
    ----------
    argv : list of str, optional
        Arguments (default ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit code.
    """
    args = sys.argv[1:] if argv is None else list(argv)
    debug = "--debug" in args
    if not debug:
        _quiet_third_party()
    try:
        # Standalone mode: usage errors print their own message and exit with 2.
        app(args=args, prog_name="alearn")
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if code == INTERRUPTED:  # typer turns Ctrl-C into exit 130
            _interrupted()
        return code
    except AlearnError as exc:
        if debug:
            raise
        from alearn.render import error

        error(exc.message)
        return exc.exit_code
    except KeyboardInterrupt:
        if debug:
            raise
        _interrupted()
        return INTERRUPTED
    except Exception as exc:  # a bug, not bad input: one line, the traceback with --debug
        if debug:
            raise
        from alearn.render import error

        error(f"internal error: {type(exc).__name__}: {_first_line(exc)} (run with --debug "
              "for the traceback, and please report it)")
        return 1
    return 0


INTERRUPTED = 130


def _interrupted() -> None:
    """Say so, and stop the worker processes at once rather than after their task."""
    try:
        from joblib.externals.loky import get_reusable_executor

        get_reusable_executor().shutdown(wait=False, kill_workers=True)
    except Exception:  # stopping workers is best effort on the way out
        pass
    from alearn.render import error

    # Every output is written by a rename, so the previous files are as they were.
    error("interrupted (Ctrl-C); no file was half-written")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else "no message"


def _quiet_third_party() -> None:
    """Keep library warnings (scikit-learn, pandas, joblib's resource tracker) off the
    terminal; the environment variable reaches worker processes too."""
    import warnings

    warnings.simplefilter("ignore")
    os.environ["PYTHONWARNINGS"] = "ignore"


# Loaded: Ctrl-C raises KeyboardInterrupt again, which main turns into exit 130.
if threading.current_thread() is threading.main_thread():
    signal.signal(signal.SIGINT, signal.default_int_handler)

if __name__ == "__main__":
    sys.exit(main())
