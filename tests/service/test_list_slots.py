"""RENCAI_LISTS_AT_ONCE: the lists one process makes at the same time; the rest wait
their turn (service/engine.py ``list_slot``, service/usecases/candidates.py)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient

from service.engine import MatchingEngine
from service.settings import Settings
from tests.http_fixtures import Login
from tests.service.helpers import post_need


def _most_inside_at_once(engine: MatchingEngine, holders: int) -> int:
    inside, most = 0, 0
    lock = threading.Lock()

    def hold() -> None:
        nonlocal inside, most
        with engine.list_slot():
            with lock:
                inside += 1
                most = max(most, inside)
            time.sleep(0.05)
            with lock:
                inside -= 1

    with ThreadPoolExecutor(holders) as pool:
        for future in [pool.submit(hold) for _ in range(holders)]:
            future.result()
    return most


def test_one_slot_makes_lists_one_after_another(app_settings: Settings) -> None:
    engine = MatchingEngine(app_settings.model_copy(update={"lists_at_once": 1}))
    assert _most_inside_at_once(engine, 4) == 1


def test_two_slots_let_two_lists_through_together(app_settings: Settings) -> None:
    engine = MatchingEngine(app_settings.model_copy(update={"lists_at_once": 2}))
    assert _most_inside_at_once(engine, 4) == 2


def test_zero_sets_no_limit(app_settings: Settings) -> None:
    engine = MatchingEngine(app_settings.model_copy(update={"lists_at_once": 0}))
    assert _most_inside_at_once(engine, 4) == 4


def test_a_candidates_request_waits_for_the_slot_and_then_answers(
    client: TestClient, login: Login, matching_engine: MatchingEngine
) -> None:
    assert matching_engine.settings.lists_at_once == 1
    site = login("site1")
    need = post_need(client, site)
    path = f"/api/v1/needs/{need['id']}/candidates"

    with ThreadPoolExecutor(1) as pool:
        with matching_engine.list_slot():  # another list is being made
            waiting = pool.submit(client.get, path, headers=site)
            time.sleep(0.5)
            assert not waiting.done(), "the list started while the only slot was held"
        answered = waiting.result(timeout=60)

    assert answered.status_code == 200, answered.text
    assert answered.json(), "the list is made once the slot is free"
