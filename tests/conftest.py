"""Test-wide settings: Qt runs offscreen; shared data is found beside the project."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture
def shared_dir() -> Path:
    """`../shared`, or skip with a reason when this checkout has none beside it."""
    if not SHARED.is_dir():
        pytest.skip(f"shared data folder not found at {SHARED}")
    return SHARED


def _qt_teardown() -> None:
    """Close every window and drain worker pools while QApplication still exists."""
    import gc
    import sys

    if "PySide6.QtWidgets" not in sys.modules:
        return
    from PySide6.QtCore import QCoreApplication, QEvent, QThreadPool
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return
    for w in QApplication.topLevelWidgets():
        w.close()
        w.deleteLater()
    for pool in [QThreadPool.globalInstance(), *app.findChildren(QThreadPool)]:
        pool.waitForDone(5000)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()
    gc.unfreeze()
    gc.collect()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    session.config._tc_exitstatus = int(exitstatus)  # type: ignore[attr-defined]
    _qt_teardown()


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """End the process once pytest has reported, when Qt was loaded.

    PySide6 wrappers that outlive the QApplication are destroyed in arbitrary order during
    interpreter finalisation, which crashes now and then after every test has passed. The
    results are final by now; skip the finalisation, keeping pytest's exit status.
    """
    import sys

    if "PySide6.QtCore" not in sys.modules:
        return
    sys.stdout.flush()
    sys.stderr.flush()
    status = getattr(config, "_tc_exitstatus", None)
    os._exit(int(status) if status is not None else 0)
