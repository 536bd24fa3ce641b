"""Fixtures shared by the engine tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers.edge import FakeEdge, ThreadedFakeEdge


@pytest.fixture(scope="session")
def edge_service() -> Iterator[FakeEdge]:
    """The loopback fake of Microsoft's read-aloud service (tests/helpers/edge.py), one for the whole run;
    each test points edge-tts at it and clears its plan."""
    served = ThreadedFakeEdge()
    yield served.fake
    served.close()
