"""Reference data from the `vietnam-provinces` package, as plain rows ready to load.

Current structure (from 1 July 2025): 34 provinces and 3,321 communes, two levels.
Legacy structure (until 30 June 2025): 63 provinces, 696 districts, 10,051 communes, with each new
unit's legacy sources (`get_legacy_sources`).
"""

from collections.abc import Iterator
from dataclasses import dataclass

from vietnam_provinces import Province, VietNamDivisionType, Ward
from vietnam_provinces.legacy import District as LegacyDistrict
from vietnam_provinces.legacy import Province as LegacyProvince
from vietnam_provinces.legacy import Ward as LegacyWard

from congdongso.geo.models import Kind, Level

_KIND_BY_DIVISION_TYPE = {
    "tỉnh": Kind.PROVINCE,
    "thành phố trung ương": Kind.CITY,
    "xã": Kind.COMMUNE,
    "phường": Kind.WARD,
    "đặc khu": Kind.SPECIAL_ZONE,
    "thị trấn": Kind.TOWNSHIP,
}


@dataclass(frozen=True)
class ReferenceUnit:
    level: str
    kind: str
    code: str
    name: str
    parent_code: str | None
    is_legacy: bool


@dataclass(frozen=True)
class ReferenceLink:
    level: str
    legacy_code: str
    current_code: str


def province_code(value: int) -> str:
    return f"{value:02d}"


def district_code(value: int) -> str:
    return f"{value:03d}"


def commune_code(value: int) -> str:
    return f"{value:05d}"


def _kind(division_type: VietNamDivisionType | str) -> str:
    value = str(division_type.value if hasattr(division_type, "value") else division_type)
    return _KIND_BY_DIVISION_TYPE.get(value, Kind.LEGACY_DISTRICT)


def current_units() -> Iterator[ReferenceUnit]:
    for province in Province.iter_all():
        yield ReferenceUnit(
            Level.PROVINCE, _kind(province.division_type), province_code(province.code.value),
            province.name, None, False,
        )
    for ward in Ward.iter_all():
        yield ReferenceUnit(
            Level.COMMUNE, _kind(ward.division_type), commune_code(ward.code.value),
            ward.name, province_code(ward.province_code.value), False,
        )


def legacy_units() -> Iterator[ReferenceUnit]:
    for province in LegacyProvince.iter_all():
        yield ReferenceUnit(
            Level.PROVINCE, _kind(province.division_type), province_code(province.code.value),
            province.name, None, True,
        )
    for district in LegacyDistrict.iter_all():
        yield ReferenceUnit(
            Level.DISTRICT, Kind.LEGACY_DISTRICT, district_code(district.code.value),
            district.name, province_code(district.province_code.value), True,
        )
    for ward in LegacyWard.iter_all():
        yield ReferenceUnit(
            Level.COMMUNE, _kind(ward.division_type), commune_code(ward.code.value),
            ward.name, district_code(ward.district_code.value), True,
        )


def reform_links() -> Iterator[ReferenceLink]:
    """Legacy province/commune -> the current unit it became (wholly or in part)."""
    for province in Province.iter_all():
        for source in province.get_legacy_sources():
            yield ReferenceLink(Level.PROVINCE, province_code(source.code.value), province_code(province.code.value))
    for ward in Ward.iter_all():
        for source in ward.get_legacy_sources():
            yield ReferenceLink(Level.COMMUNE, commune_code(source.code.value), commune_code(ward.code.value))
