"""Registers and trainings over HTTP on the real database: a register row counts once
toward its target when approved and never before; a returned one never counts; the one
who entered it cannot approve it; trainings count participants; service records'
people trained are confirmed at most once; bad input is refused naming the field, and
nothing is written."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import (
    AuditEvent,
    County,
    Match,
    Need,
    RegisterEntry,
    ServiceRecord,
    Site,
    Talent,
    Township,
    Training,
    User,
)
from models.enums import Role
from models.ledger import REGISTER_KINDS, RegisterKind
from service.usecases import accounts
from tests.conftest import DEMO_PASSWORD
from tests.http_fixtures import Login

YEAR = 2021


def _county_of(session: Session, username: str) -> str:
    user = session.scalars(select(User).where(User.username == username)).one()
    assert user.jurisdiction
    return user.jurisdiction


def _township(session: Session, county: str, *, other: bool = False) -> int:
    clause = Township.county_code != county if other else Township.county_code == county
    return session.scalars(select(Township.id).where(clause).order_by(Township.id)).first()  # type: ignore[return-value]


def _lead_unit(client: TestClient, headers: dict[str, str], kind: str) -> str:
    kinds = client.get("/api/v1/registers/kinds", headers=headers).json()
    return next(k["lead_units"][0] for k in kinds if k["kind"] == kind)


def _register_body(
    client: TestClient, headers: dict[str, str], county: str, **over: Any
) -> dict[str, Any]:
    kind = over.get("kind", "workstation")
    body = {
        "kind": kind,
        "name": "双柏县核桃产业专家基层科研工作站",
        "county_code": county,
        "founded_on": f"{YEAR}-05-10",
        "lead_unit": _lead_unit(client, headers, kind),
    }
    body.update(over)
    return body


def _totals(
    client: TestClient, headers: dict[str, str], county: str, year: int = YEAR
) -> dict[str, Any]:
    response = client.get(
        "/api/v1/ledger-totals", params={"year": year, "county": county}, headers=headers
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


def _values(totals: dict[str, Any]) -> dict[str, int]:
    return {key: t["value"] for key, t in totals.items()}


@pytest.mark.parametrize("kind", [k.value for k in RegisterKind])
def test_each_register_kind_counts_once_when_approved(
    client: TestClient, login: Login, session: Session, kind: str
) -> None:
    county_h, zhou = login("county"), login("zhou")
    county = _county_of(session, "county")
    before = _values(_totals(client, zhou, county))
    next_year = _values(_totals(client, zhou, county, YEAR + 1))
    body = _register_body(
        client, county_h, county, kind=kind, township_id=_township(session, county)
    )
    created = client.post("/api/v1/registers", json=body, headers=county_h)
    assert created.status_code == 201, created.text
    row = created.json()
    assert row["status"] == "submitted" and row["kind_label"]
    assert _values(_totals(client, zhou, county)) == before  # submitted: not yet

    approved = client.post(f"/api/v1/registers/{row['id']}/approve", headers=zhou)
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    after = _totals(client, zhou, county)
    target = REGISTER_KINDS[RegisterKind(kind)].target
    expected = dict(before)
    if target is not None:
        expected[target] += 1
        assert row["id"] in after[target]["register_ids"]
    assert _values(after) == expected
    # Not in another year, and a second approval is refused and changes nothing.
    assert _values(_totals(client, zhou, county, YEAR + 1)) == next_year
    again = client.post(f"/api/v1/registers/{row['id']}/approve", headers=zhou)
    assert again.status_code == 409
    assert _values(_totals(client, zhou, county)) == expected


def test_returned_register_never_counts(client: TestClient, login: Login, session: Session) -> None:
    county_h, zhou = login("county"), login("zhou")
    county = _county_of(session, "county")
    before = _values(_totals(client, zhou, county))
    row = client.post(
        "/api/v1/registers",
        json=_register_body(client, county_h, county, kind="star_space"),
        headers=county_h,
    ).json()
    no_reason = client.post(f"/api/v1/registers/{row['id']}/return", json={}, headers=zhou)
    assert no_reason.status_code == 422
    returned = client.post(
        f"/api/v1/registers/{row['id']}/return", json={"reason": "缺少认定文件"}, headers=zhou
    )
    assert returned.status_code == 200, returned.text
    assert returned.json()["status"] == "returned"
    assert returned.json()["return_reason"] == "缺少认定文件"
    assert client.post(f"/api/v1/registers/{row['id']}/approve", headers=zhou).status_code == 409
    assert _values(_totals(client, zhou, county)) == before
    listed = client.get(
        "/api/v1/registers", params={"status": "returned", "kind": "star_space"}, headers=zhou
    ).json()
    assert [r["id"] for r in listed["items"]] == [row["id"]]


def test_same_person_cannot_approve(client: TestClient, login: Login, session: Session) -> None:
    county_h, zhou, admin = login("county"), login("zhou"), login("admin")
    county = _county_of(session, "county")
    row = client.post(
        "/api/v1/registers", json=_register_body(client, zhou, county), headers=zhou
    ).json()
    refused = client.post(f"/api/v1/registers/{row['id']}/approve", headers=zhou)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "same_person"
    # A county coordinator does not approve at all.
    assert (
        client.post(f"/api/v1/registers/{row['id']}/approve", headers=county_h).status_code == 403
    )
    assert client.post(f"/api/v1/registers/{row['id']}/approve", headers=admin).status_code == 200
    read = client.get(f"/api/v1/registers/{row['id']}", headers=zhou).json()
    assert read["decided_by"] != read["entered_by"]
    trail = session.execute(
        select(AuditEvent.action, AuditEvent.actor_id)
        .where(AuditEvent.entity == "register_entry", AuditEvent.entity_id == row["id"])
        .order_by(AuditEvent.id)
    ).all()
    assert [(a, who) for a, who in trail] == [
        ("create", read["entered_by"]),
        ("approve", read["decided_by"]),
    ]


def _training_body(county: str, **over: Any) -> dict[str, Any]:
    body = {
        "title": "新型职业农民培训班（核桃种植）",
        "target": "measure_5.new_farmers",
        "county_code": county,
        "starts_on": f"{YEAR}-03-01",
        "ends_on": f"{YEAR}-03-05",
        "organiser": "双柏县农业农村局",
        "participants": 45,
        "names": ["张三", "李四"],
    }
    body.update(over)
    return body


def test_trainings_count_participants(client: TestClient, login: Login, session: Session) -> None:
    county_h, zhou = login("county"), login("zhou")
    county = _county_of(session, "county")
    before = _values(_totals(client, zhou, county))
    farmers = client.post("/api/v1/trainings", json=_training_body(county), headers=county_h)
    assert farmers.status_code == 201, farmers.text
    assert farmers.json()["names"] == ["张三", "李四"]
    seminar = client.post(
        "/api/v1/trainings",
        json=_training_body(county, target="measure_10.seminar", participants=60, names=[]),
        headers=county_h,
    ).json()
    assert _values(_totals(client, zhou, county)) == before
    for training_id in (farmers.json()["id"], seminar["id"]):
        assert (
            client.post(f"/api/v1/trainings/{training_id}/approve", headers=zhou).status_code == 200
        )
    expected = dict(before)
    expected["measure_5.new_farmers"] += 45
    expected["measure_10.seminar"] += 60
    assert _values(_totals(client, zhou, county)) == expected
    # The county coordinator reads their own county; another county is out of reach.
    assert _values(_totals(client, county_h, county)) == expected
    other = session.scalars(select(County.code).where(County.code != county)).first()
    assert (
        client.get("/api/v1/ledger-totals", params={"county": other}, headers=county_h).status_code
        == 404
    )


def _service_records(session: Session, county: str, people: list[int]) -> list[int]:
    """Service records of a match in ``county`` (set up in the database directly: the
    match lifecycle has its own tests)."""
    need_id = session.scalars(
        select(Need.id).join(Site).where(Site.county_code == county).order_by(Need.id)
    ).first()
    talent_ids = session.scalars(select(Talent.id).order_by(Talent.id.desc()).limit(1)).all()
    match = Match(need_id=need_id, talent_id=talent_ids[0], status="active", origin="coordinator")
    session.add(match)
    session.flush()
    records = [
        ServiceRecord(match_id=match.id, date=date(YEAR, 6, 1 + i), people_trained=n, hours=4)
        for i, n in enumerate(people)
    ]
    session.add_all(records)
    session.commit()
    return [r.id for r in records]


def test_confirm_people_trained_once(client: TestClient, login: Login, session: Session) -> None:
    county_h, zhou = login("county"), login("zhou")
    county = _county_of(session, "county")
    ids = _service_records(session, county, [12, 8, 0])
    body = {"county_code": county, "year": YEAR, "service_record_ids": ids[:2]}
    confirmed = client.post("/api/v1/trainings/confirm-people-trained", json=body, headers=county_h)
    assert confirmed.status_code == 201, confirmed.text
    training = confirmed.json()
    assert training["participants"] == 20
    assert training["service_record_ids"] == ids[:2]
    assert training["target"] == "measure_5.new_farmers"

    again = client.post("/api/v1/trainings/confirm-people-trained", json=body, headers=county_h)
    assert again.status_code == 409
    assert again.json()["error"]["fields"][0]["field"] == "service_record_ids"
    everything = client.post(
        "/api/v1/trainings/confirm-people-trained",
        json={"county_code": county, "year": YEAR},
        headers=county_h,
    )
    # The demo population has no service records: nothing left to confirm.
    assert everything.status_code == 422
    before = _values(_totals(client, zhou, county))["measure_5.new_farmers"]
    assert (
        client.post(f"/api/v1/trainings/{training['id']}/approve", headers=zhou).status_code == 200
    )
    assert _values(_totals(client, zhou, county))["measure_5.new_farmers"] == before + 20


def test_confirmation_unique_in_the_database(session: Session) -> None:
    """The second link row for the same service record is refused by the database."""
    from sqlalchemy.exc import IntegrityError

    from models.ledger import TrainingServiceRecord

    county = _county_of(session, "county")
    (record_id,) = _service_records(session, county, [5])
    trainings = []
    for _ in range(2):
        t = Training(
            title="x",
            target_key="measure_5.new_farmers",
            county_code=county,
            starts_on=date(YEAR, 1, 1),
            ends_on=date(YEAR, 1, 1),
            organiser="x",
            participants=5,
        )
        session.add(t)
        trainings.append(t)
    session.flush()
    session.add(
        TrainingServiceRecord(
            service_record_id=record_id, training_id=trainings[0].id, people_trained=5
        )
    )
    session.flush()
    session.add(
        TrainingServiceRecord(
            service_record_id=record_id, training_id=trainings[1].id, people_trained=5
        )
    )
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def _other_county_user(session: Session, county: str) -> str:
    accounts.create(
        session=session,
        username="other-county",
        password=DEMO_PASSWORD,
        role=Role.COORDINATOR,
        display_name="另一县协调员",
        jurisdiction=county,
    )
    session.commit()
    return "other-county"


def _counts(session: Session) -> tuple[int, int]:
    return (
        session.scalar(select(func.count()).select_from(RegisterEntry)) or 0,
        session.scalar(select(func.count()).select_from(Training)) or 0,
    )


def _field_of(response: Any) -> str:
    fields = response.json()["error"]["fields"]
    assert fields, response.text
    return str(fields[0]["field"])


def test_bad_input_names_the_field_and_writes_nothing(
    client: TestClient, login: Login, session: Session
) -> None:
    county_h = login("county")
    county = _county_of(session, "county")
    other = session.scalars(select(County.code).where(County.code != county)).first()
    assert other
    start = _counts(session)
    cases: list[tuple[str, dict[str, Any], int, str]] = [
        (
            "/api/v1/registers",
            {**_register_body(client, county_h, county), "kind": "bakery"},
            422,
            "kind",
        ),
        (
            "/api/v1/registers",
            _register_body(
                client, county_h, county, township_id=_township(session, county, other=True)
            ),
            422,
            "township_id",
        ),
        ("/api/v1/registers", _register_body(client, county_h, other), 404, "county_code"),
        ("/api/v1/registers", _register_body(client, county_h, "999999"), 422, "county_code"),
        (
            "/api/v1/registers",
            _register_body(client, county_h, county, founded_on="2015-01-01"),
            422,
            "founded_on",
        ),
        (
            "/api/v1/registers",
            _register_body(client, county_h, county, lead_unit="州财政局"),
            422,
            "lead_unit",
        ),
        (
            "/api/v1/trainings",
            _training_body(county, participants=-3, names=[]),
            422,
            "participants",
        ),
        (
            "/api/v1/trainings",
            _training_body(county, target="measure_9.high_level_posts"),
            422,
            "target",
        ),
        ("/api/v1/trainings", _training_body(other), 404, "county_code"),
        (
            "/api/v1/trainings",
            _training_body(county, starts_on="2031-01-01", ends_on="2031-01-02"),
            422,
            "starts_on",
        ),
        ("/api/v1/trainings", _training_body(county, ends_on=f"{YEAR}-02-01"), 422, "ends_on"),
        ("/api/v1/trainings", _training_body(county, participants=1), 422, "names"),
    ]
    for url, body, status, field in cases:
        response = client.post(url, json=body, headers=county_h)
        assert response.status_code == status, (field, response.text)
        assert field in _field_of(response), (field, response.text)
    assert _counts(session) == start


def test_county_coordinator_sees_only_their_county(
    client: TestClient, login: Login, session: Session
) -> None:
    county_h, zhou = login("county"), login("zhou")
    county = _county_of(session, "county")
    other = session.scalars(select(County.code).where(County.code != county)).first()
    assert other
    mine = client.post(
        "/api/v1/registers", json=_register_body(client, county_h, county), headers=county_h
    ).json()
    theirs = client.post(
        "/api/v1/registers", json=_register_body(client, zhou, other), headers=zhou
    ).json()
    other_h = login(_other_county_user(session, other))
    assert client.get(f"/api/v1/registers/{mine['id']}", headers=other_h).status_code == 404
    assert client.get(f"/api/v1/registers/{theirs['id']}", headers=county_h).status_code == 404
    listed = client.get("/api/v1/registers", params={"year": YEAR}, headers=county_h).json()
    assert {r["county_code"] for r in listed["items"]} == {county}
    assert client.get("/api/v1/registers", headers=login("site1")).status_code == 403
