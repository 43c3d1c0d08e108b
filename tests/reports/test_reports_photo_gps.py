from __future__ import annotations

import io
import warnings

import pytest
from PIL import ExifTags, Image
from PIL.TiffImagePlugin import IFDRational

from reports.photos.gps import gps_from_ifd, read_gps
from reports.photos.processing import process_photo

LAT, LAT_REF, LNG, LNG_REF = (
    ExifTags.GPS.GPSLatitude,
    ExifTags.GPS.GPSLatitudeRef,
    ExifTags.GPS.GPSLongitude,
    ExifTags.GPS.GPSLongitudeRef,
)


def rationals(*pairs: tuple[int, int]) -> tuple[IFDRational, ...]:
    return tuple(IFDRational(numerator, denominator) for numerator, denominator in pairs)


CHIBA_CITY_HALL = {  # 35°36'26.0"N 140°06'23.0"E
    LAT_REF: "N",
    LAT: rationals((35, 1), (36, 1), (2600, 100)),
    LNG_REF: "E",
    LNG: rationals((140, 1), (6, 1), (23, 1)),
}


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
@pytest.mark.parametrize(
    ("lat", "lng"),
    [(35.6083, 140.1064), (-33.8568, 151.2153), (40.6892, -74.0445), (-22.9519, -43.2105)],
    ids=["N-E", "S-E", "N-W", "S-W"],
)
def test_gps_in_a_real_photo__read_with_hemisphere_signs(samples, image_format, lat, lng):
    data = samples.encode(
        samples.two_tone((64, 48)), image_format, exif=samples.make_exif(lat=lat, lng=lng)
    )

    assert process_photo(data).gps == pytest.approx((lat, lng), abs=1e-6)


def test_photo_without_exif__no_position(samples):
    assert process_photo(samples.encode(samples.two_tone(), "JPEG")).gps is None


def test_exif_without_gps__no_position(samples):
    data = samples.encode(samples.two_tone(), "JPEG", exif=samples.make_exif(orientation=1))

    assert process_photo(data).gps is None


def test_hemisphere_written_as_bytes_with_padding__understood(samples):
    exif = samples.make_exif(lat=35.0, lng=139.0)
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[LAT_REF], gps[LNG_REF] = "S\x00", "w "
    image = Image.open(io.BytesIO(samples.encode(samples.two_tone(), "JPEG", exif=exif)))

    assert read_gps(image) == pytest.approx((-35.0, -139.0))


def test_ifd__degrees_minutes_seconds_converted():
    assert gps_from_ifd(CHIBA_CITY_HALL) == pytest.approx((35.6072222, 140.1063889), abs=1e-7)


def test_ifd__decimal_degrees_in_one_rational_accepted():
    ifd = {
        LAT_REF: b"N",
        LAT: rationals((356072, 10000)),
        LNG_REF: b"E",
        LNG: rationals((1401064, 10000)),
    }

    assert gps_from_ifd(ifd) == pytest.approx((35.6072, 140.1064))


@pytest.mark.parametrize(
    "change",
    [
        {LAT: None},
        {LNG: None},
        {LAT_REF: None},
        {LNG_REF: None},
        {LAT_REF: "X"},
        {LNG_REF: "N"},  # a latitude letter for the longitude
        {LAT_REF: 1},
        {LAT: "35.6"},
        {LAT: 35.6},
        {LAT: ()},
        {LAT: rationals((35, 1), (36, 1), (26, 1), (1, 1))},
        {LAT: rationals((35, 0), (36, 1), (26, 1))},  # zero denominator
        {LAT: rationals((0, 0), (0, 0), (0, 0))},
        {LAT: rationals((-35, 1), (36, 1), (26, 1))},
        {LAT: rationals((35, 1), (75, 1), (26, 1))},  # 75 minutes
        {LAT: rationals((35, 1), (36, 1), (61, 1))},  # 61 seconds
        {LAT: rationals((95, 1), (0, 1), (0, 1))},
        {LNG: rationals((181, 1), (0, 1), (0, 1))},
        {LAT: (True, False, True)},
        {LAT: (IFDRational(35, 1), "x", IFDRational(1, 1))},
    ],
)
def test_ifd__missing_or_garbage_tags__no_position(change):
    ifd = {**CHIBA_CITY_HALL, **change}
    ifd = {tag: value for tag, value in ifd.items() if value is not None}

    assert gps_from_ifd(ifd) is None


def test_ifd__zero_zero_from_a_camera_without_fix__no_position():
    ifd = {
        LAT_REF: "N",
        LAT: rationals((0, 1), (0, 1), (0, 1)),
        LNG_REF: "E",
        LNG: rationals((0, 1), (0, 1), (0, 1)),
    }

    assert gps_from_ifd(ifd) is None


def test_ifd__edges_of_the_globe_accepted():
    ifd = {
        LAT_REF: "S",
        LAT: rationals((90, 1), (0, 1), (0, 1)),
        LNG_REF: "W",
        LNG: rationals((180, 1), (0, 1), (0, 1)),
    }

    assert gps_from_ifd(ifd) == (-90.0, -180.0)


def test_unreadable_exif_block__no_position_and_photo_still_accepted(samples):
    jpeg = samples.encode(samples.two_tone(), "JPEG")
    broken_app1 = b"\xff\xe1\x00\x12Exif\x00\x00MM\x00*\x00\x00\xff\xff\xff\xff"
    data = jpeg[:2] + broken_app1 + jpeg[2:]

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Pillow warns "Corrupt EXIF data" and carries on
        result = process_photo(data)

    assert result.gps is None and result.width == 300
