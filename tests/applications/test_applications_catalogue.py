"""The catalogue: life events and procedures from the definition files; a changed definition
is a new version and a filed case keeps the one it was filed under; a bad file is refused
with its name and the path inside it."""

from __future__ import annotations

import json
import shutil

import pytest

from applications.catalogue.files import DEFINITIONS_DIR, DefinitionError
from applications.catalogue.models import ProcedureVersion
from applications.catalogue.service import import_directory
from tests.applications.city import JUMINHYO
from tests.support.graphql import error_codes


async def test_life_events_and_the_procedures_their_answers_call_for(city):
    events = (await city.ok("LifeEvents"))["lifeEvents"]
    moving_in = await city.gql.op(
        "Procedures",
        lifeEventCode="moving_in",
        eventAnswers={"event.needsNationalInsurance": False, "event.withChildren": True},
    )
    guidance = await city.gql(
        """query($a: JSON) { proceduresForEvent(lifeEventCode: "moving_in", eventAnswers: $a) {
             procedures { code } guidance } }""",
        {"a": {"event.withCar": True}},
        headers={"Accept-Language": "en"},
    )
    everything = (await city.ok("Procedures"))["procedures"]

    assert [e["code"] for e in events] == ["birth", "moving_in"] or sorted(
        e["code"] for e in events
    ) == ["birth", "moving_in"]
    by_code = {e["code"]: e for e in events}
    assert by_code["moving_in"]["name"].startswith("転入")
    assert len(by_code["moving_in"]["questions"]) == 3
    assert [p["code"] for p in moving_in["data"]["procedures"]] == ["tennyu", "jido_teate"]
    found = guidance["data"]["proceduresForEvent"]
    assert [p["code"] for p in found["procedures"]] == ["tennyu"]
    assert "Transport Bureau" in found["guidance"][0]
    assert len(everything) == 9


async def test_procedure__form_fee_and_documents(city):
    juminhyo = (await city.ok("Procedure", code="juminhyo_copy"))["procedure"]
    tennyu = (await city.ok("Procedure", code="tennyu"))["procedure"]
    missing = await city.gql.op("Procedure", code="nope")

    assert juminhyo["feeYen"] == 300 and juminhyo["feePerField"] == "juminhyo.copies"
    assert juminhyo["formSchema"]["$schema"].endswith("2020-12/schema")
    assert juminhyo["uiSchema"]["fields"]["juminhyo.copies"]["widget"] == "number"
    assert juminhyo["department"]["code"] == "citizens" and juminhyo["delivery"] == "post"
    assert tennyu["needsCounterVisit"] and tennyu["documents"]
    assert error_codes(missing) == ["NOT_FOUND"]


async def test_changed_definition__new_version_filed_case_keeps_its_own(city, tmp_path):
    taro = await city.resident()
    filed = await city.submitted(taro, ["juminhyo_copy"], JUMINHYO)
    copy = tmp_path / "definitions"
    shutil.copytree(DEFINITIONS_DIR, copy)
    path = copy / "procedures" / "juminhyo_copy.json"
    definition = json.loads(path.read_text(encoding="utf-8"))
    definition["fee"]["yen"] = 350
    definition["form"]["schema"]["properties"]["juminhyo.copies"]["maximum"] = 5
    path.write_text(json.dumps(definition, ensure_ascii=False), encoding="utf-8")

    summary = await import_directory(copy)
    again = await import_directory(copy)

    assert summary.new_versions == ["juminhyo_copy"] and again.new_versions == []
    assert await ProcedureVersion.filter(procedure__code="juminhyo_copy").count() == 2
    now = (await city.ok("Procedure", code="juminhyo_copy"))["procedure"]
    assert now["version"] == 2 and now["feeYen"] == 350
    case = (await city.ok("Case", taro, id=filed["application"]["cases"][0]["id"]))["case"]
    assert case["procedure"]["name"] == "住民票の写し 交付請求"
    assert case["feeYen"] == 600 and case["answers"]["juminhyo.copies"] == 2
    kept = await city.gql(
        "query($id: ID!) { case(id: $id) { procedure { version feeYen } } }",
        {"id": case["id"]},
        auth=taro.token,
    )
    assert kept["data"]["case"]["procedure"] == {"version": 1, "feeYen": 300}


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d["form"]["schema"]["properties"].pop("juminhyo.scope"), "form.ui.order"),
        (
            lambda d: d["form"]["ui"]["fields"]["juminhyo.copies"].pop("label"),
            "form.ui.fields.juminhyo.copies.label",
        ),
        (
            lambda d: d["form"]["schema"]["properties"].update({"note": {"type": "string"}}),
            "form.schema.properties.note",
        ),
        (lambda d: d["form"]["schema"].update({"type": 5}), "form.schema.type"),
        (lambda d: d.update({"processingDays": -1}), "processingDays"),
        (lambda d: d["fee"].update({"perField": "juminhyo.scope"}), "fee.perField"),
    ],
    ids=[
        "order-names-a-missing-field",
        "no-label",
        "unbounded-text",
        "not-json-schema",
        "negative-days",
        "fee-per-text-field",
    ],
)
async def test_bad_definition__refused_naming_file_and_path(city, tmp_path, change, where):
    copy = tmp_path / "definitions"
    shutil.copytree(DEFINITIONS_DIR, copy)
    path = copy / "procedures" / "juminhyo_copy.json"
    definition = json.loads(path.read_text(encoding="utf-8"))
    change(definition)
    path.write_text(json.dumps(definition, ensure_ascii=False), encoding="utf-8")

    with pytest.raises(DefinitionError) as caught:
        await import_directory(copy)

    assert any(file == str(path) and at.startswith(where) for file, at, _ in caught.value.problems)
    assert await ProcedureVersion.filter(procedure__code="juminhyo_copy").count() == 1


async def test_hidden_field_not_refused_when_hidden__refused_at_load(city, tmp_path):
    copy = tmp_path / "definitions"
    shutil.copytree(DEFINITIONS_DIR, copy)
    path = copy / "procedures" / "passport.json"
    definition = json.loads(path.read_text(encoding="utf-8"))
    del definition["form"]["schema"]["allOf"][0]["else"]
    path.write_text(json.dumps(definition, ensure_ascii=False), encoding="utf-8")

    with pytest.raises(DefinitionError) as caught:
        await import_directory(copy)

    assert "passport.previousNumber" in str(caught.value)
    assert "form.schema.allOf[0].else" in str(caught.value)


def test_case_status_enum__the_workflows_statuses():
    from applications.cases.models import CaseStatus
    from applications.cases.types import CaseStatusEnum

    assert [s.value for s in CaseStatusEnum] == [s.value for s in CaseStatus]
