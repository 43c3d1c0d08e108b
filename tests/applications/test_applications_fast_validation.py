"""The compiled validator only ever lets through answers jsonschema finds no error in: every
answer of the moving-in bundle replaced, one at a time, by values of the wrong type, form or
length, and the two must agree whenever the compiled one says "valid"."""

from __future__ import annotations

import uuid
from functools import cache

from applications.catalogue.files import DEFINITIONS_DIR, read_directory
from applications.forms.merge import merge_forms
from applications.forms.validation import check_answers, validators_for
from tests.applications.city import ADDRESS_NEW, moving_in_answers

BUNDLE = ["tennyu", "kokuho_shikaku", "jido_teate"]

ODD_VALUES: list[object] = [
    "",
    " ",
    "x" * 2000,
    "1234567\n",  # Python's `$` matches before a final newline, the compiled one's does not
    "１２３４５６７",  # full-width digits
    "1990-02-30",
    "19900401",
    "1990-4-1",
    "a@b",
    "@",
    "not-a-uuid",
    str(uuid.uuid4()),
    0,
    -1,
    1.5,
    10**30,
    True,
    None,
    [],
    [{}],
    {},
    {**ADDRESS_NEW, "postalCode": "9648601\n"},
    {**ADDRESS_NEW, "extra": 1},
]


@cache
def _form() -> dict:
    catalogue = read_directory(DEFINITIONS_DIR)
    return merge_forms([catalogue.procedures[code]["form"] for code in BUNDLE])


def _valid_answers() -> dict:
    return {**moving_in_answers(), "tennyu.moveOutCertificate": str(uuid.uuid4())}


def test_fast_validation__valid_answers__known_valid_without_the_full_check():
    schema = _form()["schema"]
    validators = validators_for(schema)

    assert validators.fast is not None
    assert validators.is_valid(_valid_answers())
    assert check_answers(schema, _valid_answers()) == []


def test_fast_validation__odd_values__never_valid_where_jsonschema_finds_an_error():
    schema = _form()["schema"]
    validators = validators_for(schema)
    disagreements = []
    for key in sorted(_valid_answers()):
        for value in ODD_VALUES:
            answers = {**_valid_answers(), key: value}
            if validators.is_valid(answers):
                found = [e.message for e in validators.full.iter_errors(answers)]
                disagreements += [(key, value, message) for message in found]

    assert disagreements == []
