"""Fixtures for the end-to-end suites: the server under test, the browser, the proxy.

- Protocol suite (test_protocol.py): the base URL is `--base-url` (pytest-playwright's option, which
  also reads $PYTEST_BASE_URL) or $COUNTERFIRE_BASE_URL. With neither, a local `edge dev` is started.
  The emulator's control API is used only where allowed: always on a local server, and on a given
  base URL only with `--control`.
- Browser suite (test_browser.py): always a local `edge dev` per test (fresh state directory), a TCP
  proxy in front of it, and Debian's Chromium (never `playwright install`).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from edge import ARTIFACTS, Api, Control, EdgeDev
from proxy import TcpProxy

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/lib/chromium/chromium")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("counterfire", "CounterFire end-to-end")
    group.addoption(
        "--control", action="store_true", default=False,
        help="allow the emulator control API (/cdn-cgi/edge/...) on a --base-url server (always allowed locally)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "control: needs the emulator control API (/cdn-cgi/edge/...)")
    config.addinivalue_line("markers", "negative_control: shows that the browser checks can fail (runs by default)")
    # pytest-playwright 0.10.0's --base-url fallback trips a pytest 9 deprecation: not ours to fix.
    config.addinivalue_line("filterwarnings", "ignore:Session-scoped fixtures defined as instance methods")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)


def _given_base_url(config: pytest.Config) -> str | None:
    url = config.getoption("--base-url", default=None) or os.environ.get("COUNTERFIRE_BASE_URL")
    return url.rstrip("/") if url else None


class Target:
    """The server a protocol test talks to."""

    def __init__(self, base_url: str, control_allowed: bool, local: EdgeDev | None):
        self.base_url = base_url
        self.control_allowed = control_allowed
        self.local = local

    @property
    def control(self) -> Control:
        if not self.control_allowed:
            pytest.skip("the control API is only used on a local server or with --control")
        return Control(self.base_url)


@pytest.fixture(scope="module")
def target(request: pytest.FixtureRequest):
    given = _given_base_url(request.config)
    if given:
        yield Target(given, bool(request.config.getoption("--control")), None)
        return
    server = EdgeDev(f"protocol-{Path(str(request.node.path)).stem}")
    try:
        server.start()
    except RuntimeError as error:
        server.cleanup()
        pytest.fail(f"could not start edge dev: {error}", pytrace=False)
    try:
        yield Target(server.base_url, True, server)
    finally:
        server.cleanup()


# MARK: browser suite


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium: the real ELF binary, not the /usr/bin/chromium wrapper script."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (scripts/e2e.sh does); never `playwright install`",
                    pytrace=False)
    return {**browser_type_launch_args, "executable_path": CHROMIUM}


@pytest.fixture
def server(request: pytest.FixtureRequest):
    """A fresh local `edge dev` for one browser test."""
    edge = EdgeDev(f"browser-{request.node.name}")
    try:
        edge.start()
    except RuntimeError as error:
        edge.cleanup()
        pytest.fail(f"could not start edge dev: {error}", pytrace=False)
    yield edge
    edge.cleanup()


@pytest.fixture
def api(server: EdgeDev) -> Api:
    return Api(server.base_url)


@pytest.fixture
def control(server: EdgeDev) -> Control:
    return Control(server.base_url)


@pytest.fixture
def proxy(server: EdgeDev):
    p = TcpProxy("127.0.0.1", server.port).start()
    yield p
    p.stop()
