from __future__ import annotations

from urllib.parse import urlencode

import pytest

from reports.open311.attributes import validate_attributes
from reports.open311.parse import (
    MAX_FIELDS,
    NewServiceRequest,
    parse_create_body,
    parse_create_request,
)
from reports.open311.types import AttributeValue, Datatype, ServiceAttribute, ServiceDefinition
from reports.validation import ValidationFailed

# Shaped like the example request of the GeoReport v2 page, brackets left unencoded as clients send them.
EXAMPLE_BODY = (
    "api_key=xyz&jurisdiction_id=city.example&service_code=001&lat=37.76524078&long=-122.4212043"
    "&address_string=1234+5th+street&email=smit333%40city.example&device_id=tt222111&account_id=123456"
    "&first_name=john&last_name=smith&phone=111111111&description=A+large+sinkhole+is+destroying+the+street"
    "&media_url=http%3A%2F%2Fphotos.example%2F2212426634.jpg&attribute[WHISPAWN]=123456&attribute[WHISDORN]=COISL001"
)


def fields_of(call) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        call()
    assert caught.value.code == "VALIDATION"
    return caught.value.fields


def post(**fields) -> NewServiceRequest:
    return parse_create_request([(name, value) for name, value in fields.items()])


def post_errors(**fields) -> dict[str, str]:
    return fields_of(lambda: post(**fields))


# --- the happy path ------------------------------------------------------------------------------


def test_example_body__every_field_read():
    request = parse_create_body(EXAMPLE_BODY)

    assert request == NewServiceRequest(
        service_code="001",
        lat=37.76524078,
        long=-122.4212043,
        address_string="1234 5th street",
        email="smit333@city.example",
        device_id="tt222111",
        account_id="123456",
        first_name="john",
        last_name="smith",
        phone="111111111",
        description="A large sinkhole is destroying the street",
        media_url="http://photos.example/2212426634.jpg",
        api_key="xyz",
        jurisdiction_id="city.example",
        attributes={"WHISPAWN": "123456", "WHISDORN": "COISL001"},
    )
    assert request.position == (37.76524078, -122.4212043)
    assert "xyz" not in repr(request)


def test_body_as_bytes_with_percent_encoded_brackets_and_multi_values():
    body = urlencode(
        [
            ("service_code", "road"),
            ("address_id", "A-1"),
            ("attribute[KIND][]", "hole"),
            ("attribute[KIND][]", "crack"),
        ]
    ).encode()

    request = parse_create_body(body)

    assert request.attributes == {"KIND": ("hole", "crack")}
    assert request.position is None and request.address_id == "A-1"


def test_japanese_text__kept_as_sent():
    request = parse_create_body(urlencode({"service_code": "road", "address_string": "千葉市中央区千葉港1-1",
                                           "description": "歩道に穴があります。\n危険です。"}))  # fmt: skip

    assert request.address_string == "千葉市中央区千葉港1-1"
    assert request.description == "歩道に穴があります。\n危険です。"


def test_unknown_parameters__ignored():
    assert post(service_code="road", address_id="A-1", foo="bar").service_code == "road"


def test_empty_parameters__count_as_not_sent():
    request = post(
        service_code="road", address_id="A-1", email="", lat="", long="", description="  "
    )

    assert request.email is None and request.lat is None and request.description is None


# --- location -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "location",
    [{"lat": "35.6", "long": "140.1"}, {"address_string": "千葉港1-1"}, {"address_id": "A-1"}],
)
def test_location__any_one_of_the_three_forms_suffices(location):
    assert post(service_code="road", **location).service_code == "road"


def test_location__missing():
    assert post_errors(service_code="road") == {"location": "LOCATION_REQUIRED"}


@pytest.mark.parametrize(
    ("given", "missing"), [({"lat": "35.6"}, "long"), ({"long": "140.1"}, "lat")]
)
def test_location__lat_and_long_travel_together(given, missing):
    assert post_errors(service_code="road", **given) == {missing: "LAT_LONG_PAIR"}


@pytest.mark.parametrize(
    ("lat", "long", "expected"),
    [
        ("90.0001", "140", {"lat": "FIELD_OUT_OF_RANGE"}),
        ("-91", "140", {"lat": "FIELD_OUT_OF_RANGE"}),
        ("35", "180.5", {"long": "FIELD_OUT_OF_RANGE"}),
        ("35", "-181", {"long": "FIELD_OUT_OF_RANGE"}),
        ("north", "140", {"lat": "FIELD_NOT_A_NUMBER"}),
        ("nan", "inf", {"lat": "FIELD_NOT_A_NUMBER", "long": "FIELD_NOT_A_NUMBER"}),
        ("35,6", "140", {"lat": "FIELD_NOT_A_NUMBER"}),
    ],
)
def test_location__lat_long_must_be_numbers_in_range(lat, long, expected):
    assert post_errors(service_code="road", lat=lat, long=long) == expected


def test_location__edges_accepted():
    assert post(service_code="road", lat="-90", long="180").position == (-90.0, 180.0)


# --- other fields -------------------------------------------------------------------------------


def test_service_code__required():
    assert post_errors(address_id="A-1") == {"service_code": "FIELD_REQUIRED"}


def test_description__4000_characters_allowed_4001_refused():
    assert (
        len(post(service_code="road", address_id="A", description="穴" * 4000).description) == 4000
    )
    assert post_errors(service_code="road", address_id="A", description="穴" * 4001) == {
        "description": "FIELD_TOO_LONG"
    }


@pytest.mark.parametrize(
    ("field", "value"),
    [("first_name", "Taro\r\nBcc: all@example.jp"), ("phone", "090\x00"), ("description", "bell\x07"),
     ("email", "a@b.example\nBcc: all@example.jp"), ("address_string", "x\x1b[31m")],
)  # fmt: skip
def test_control_characters__refused(field, value):
    errors = post_errors(service_code="road", address_id="A", **{field: value})

    assert errors[field] in ("FIELD_CONTROL_CHARACTERS", "EMAIL_INVALID")


@pytest.mark.parametrize(
    "email", ["taro", "@example.jp", "taro@", "taro@example", "ta ro@example.jp", "taro@.jp"]
)
def test_email__malformed_refused(email):
    assert post_errors(service_code="road", address_id="A", email=email) == {
        "email": "EMAIL_INVALID"
    }


def test_email__plausible_address_accepted():
    assert (
        post(service_code="road", address_id="A", email="taro+city@mail.example.jp").email
        == "taro+city@mail.example.jp"
    )


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x.example/a.jpg", "https://", "/media/a.jpg",
                                 "https://exa mple.jp/a.jpg", "http://[::1"])  # fmt: skip
def test_media_url__only_http_urls(url):
    assert post_errors(service_code="road", address_id="A", media_url=url) == {
        "media_url": "URL_INVALID"
    }


def test_repeated_scalar_field__refused():
    errors = fields_of(lambda: parse_create_body("service_code=a&service_code=b&address_id=A"))

    assert errors == {"service_code": "FIELD_DUPLICATED"}


def test_all_errors_reported_at_once():
    errors = fields_of(
        lambda: parse_create_body("lat=95&long=x&email=nope&description=" + "a" * 4001)
    )

    assert errors == {
        "service_code": "FIELD_REQUIRED",
        "lat": "FIELD_OUT_OF_RANGE",
        "long": "FIELD_NOT_A_NUMBER",
        "email": "EMAIL_INVALID",
        "description": "FIELD_TOO_LONG",
    }


def test_too_many_fields__refused():
    body = "&".join(f"x{index}=1" for index in range(MAX_FIELDS + 1))

    assert fields_of(lambda: parse_create_body(body)) == {"request": "TOO_MANY_FIELDS"}
    assert fields_of(lambda: parse_create_request([("x", "1")] * (MAX_FIELDS + 1))) == {
        "request": "TOO_MANY_FIELDS"
    }


@pytest.mark.parametrize("body", [b"service_code=\xff\xfe", "service_code=%FF%FE&address_id=A"])
def test_body_not_utf8__refused(body):
    assert fields_of(lambda: parse_create_body(body)) == {"request": "ENCODING_INVALID"}


# --- attribute syntax ---------------------------------------------------------------------------


def test_attributes__single_and_multi_values():
    request = parse_create_request(
        [("service_code", "road"), ("address_id", "A"), ("attribute[SIZE]", "L"),
         ("attribute[KIND][]", "hole"), ("attribute[KIND][]", "crack"), ("attribute[KIND][]", "")]
    )  # fmt: skip

    assert request.attributes == {"SIZE": "L", "KIND": ("hole", "crack")}


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("attribute[]", "ATTRIBUTE_CODE_INVALID"),
        ("attribute[a b]", "ATTRIBUTE_CODE_INVALID"),
        ("attribute[x][y]", "ATTRIBUTE_CODE_INVALID"),
        ("attribute[x", "ATTRIBUTE_CODE_INVALID"),
        ("attribute[<script>]", "ATTRIBUTE_CODE_INVALID"),
        ("attribute[" + "x" * 101 + "]", "ATTRIBUTE_CODE_INVALID"),
    ],
)
def test_attributes__malformed_names_refused(name, code):
    errors = fields_of(
        lambda: parse_create_request([("service_code", "road"), ("address_id", "A"), (name, "1")])
    )

    assert errors == {name: code}


def test_attributes__same_code_single_and_multi_refused():
    pairs = [
        ("service_code", "r"),
        ("address_id", "A"),
        ("attribute[K]", "a"),
        ("attribute[K][]", "b"),
    ]

    assert fields_of(lambda: parse_create_request(pairs)) == {"attribute[K]": "ATTRIBUTE_MIXED"}


def test_attributes__single_value_sent_twice_refused():
    pairs = [
        ("service_code", "r"),
        ("address_id", "A"),
        ("attribute[K]", "a"),
        ("attribute[K]", "b"),
    ]

    assert fields_of(lambda: parse_create_request(pairs)) == {"attribute[K]": "FIELD_DUPLICATED"}


def test_attributes__value_length_and_control_characters_checked():
    pairs = [
        ("service_code", "r"),
        ("address_id", "A"),
        ("attribute[K]", "x" * 1001),
        ("attribute[L]", "a\x00"),
    ]

    assert fields_of(lambda: parse_create_request(pairs)) == {
        "attribute[K]": "FIELD_TOO_LONG",
        "attribute[L]": "FIELD_CONTROL_CHARACTERS",
    }


# --- attributes against the service definition -------------------------------------------------

DEFINITION = ServiceDefinition(
    "road-pothole",
    [
        ServiceAttribute("SIZE", Datatype.SINGLEVALUELIST, "大きさ", order=1, required=True,
                         values=[AttributeValue("S", "小"), AttributeValue("L", "大")]),
        ServiceAttribute("KIND", Datatype.MULTIVALUELIST, "種類", order=2,
                         values=[AttributeValue("hole", "穴"), AttributeValue("crack", "ひび")]),
        ServiceAttribute("DEPTH", Datatype.NUMBER, "深さ(cm)", order=3),
        ServiceAttribute("SEEN", Datatype.DATETIME, "気づいた日時", order=4),
        ServiceAttribute("LANDMARK", Datatype.STRING, "目印", order=5),
        ServiceAttribute("NOTE", Datatype.TEXT, "補足", order=6),
        ServiceAttribute("INFO", Datatype.TEXT, "危険な場合は110番へ", order=7, variable=False),
    ],
)  # fmt: skip


def test_validate_attributes__normalised_answers():
    answers = {"SIZE": "L", "KIND": "hole", "DEPTH": "12.5", "SEEN": "2025-04-01T08:00:00+09:00",
               "LANDMARK": "郵便ポスト前", "NOTE": "一行目\n二行目"}  # fmt: skip

    accepted = validate_attributes(DEFINITION, answers)

    assert accepted == {**answers, "KIND": ("hole",)}


def test_validate_attributes__multivaluelist_deduplicated_in_order():
    assert validate_attributes(DEFINITION, {"SIZE": "S", "KIND": ("crack", "hole", "crack")})[
        "KIND"
    ] == (
        "crack",
        "hole",
    )


def test_validate_attributes__single_value_as_one_item_list_accepted():
    assert validate_attributes(DEFINITION, {"SIZE": ("S",)}) == {"SIZE": "S"}


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({}, {"attribute[SIZE]": "FIELD_REQUIRED"}),
        ({"SIZE": "XL"}, {"attribute[SIZE]": "ATTRIBUTE_VALUE_NOT_ALLOWED"}),
        ({"SIZE": ("S", "L")}, {"attribute[SIZE]": "ATTRIBUTE_SINGLE_VALUE"}),
        (
            {"SIZE": "S", "KIND": ("hole", "pit")},
            {"attribute[KIND]": "ATTRIBUTE_VALUE_NOT_ALLOWED"},
        ),
        ({"SIZE": "S", "DEPTH": "deep"}, {"attribute[DEPTH]": "FIELD_NOT_A_NUMBER"}),
        ({"SIZE": "S", "SEEN": "yesterday"}, {"attribute[SEEN]": "DATETIME_INVALID"}),
        (
            {"SIZE": "S", "SEEN": "2025-04-01T08:00:00"},
            {"attribute[SEEN]": "DATETIME_NEEDS_TIMEZONE"},
        ),
        (
            {"SIZE": "S", "LANDMARK": "一行目\n二行目"},
            {"attribute[LANDMARK]": "FIELD_CONTROL_CHARACTERS"},
        ),
        ({"SIZE": "S", "COLOUR": "red"}, {"attribute[COLOUR]": "ATTRIBUTE_UNKNOWN"}),
        ({"SIZE": "S", "INFO": "x"}, {"attribute[INFO]": "ATTRIBUTE_UNKNOWN"}),
    ],
)
def test_validate_attributes__wrong_answers_named(answers, expected):
    assert fields_of(lambda: validate_attributes(DEFINITION, answers)) == expected


def test_validate_attributes__wrong_choice_named_in_the_message():
    with pytest.raises(ValidationFailed) as caught:
        validate_attributes(DEFINITION, {"SIZE": "XL"})

    assert (
        caught.value.errors[0].message("en")
        == "'XL' is not one of the choices for attribute[SIZE]."
    )
    assert "XL" in caught.value.errors[0].message("ja")


def test_parse_then_validate__end_to_end():
    request = parse_create_body("service_code=road-pothole&lat=35.6&long=140.1&attribute[SIZE]=L"
                                "&attribute[KIND][]=hole&attribute[KIND][]=crack")  # fmt: skip

    assert validate_attributes(DEFINITION, request.attributes) == {
        "SIZE": "L",
        "KIND": ("hole", "crack"),
    }
