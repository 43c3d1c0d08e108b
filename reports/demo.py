"""The demo city's report categories and a few reports near 二本松市役所."""

from __future__ import annotations

from datetime import timedelta

from accounts.models import Department, Resident
from core import clock
from reports.map.grid import cell_of
from reports.models import Category, Report, ReportEvent
from reports.service import new_receipt_number
from reports.workflow import Status, Targets, deadlines

# code, ja, en, department, icon, duplicate radius m, acknowledge h, resolve h, questions
CATEGORIES = [
    (
        "road_damage",
        "道路の損傷（穴・段差）",
        "Road damage (potholes, bumps)",
        "roads",
        "🚧",
        30,
        24,
        240,
        [
            {
                "code": "size",
                "datatype": "singlevaluelist",
                "required": False,
                "description_ja": "大きさ",
                "description_en": "Size",
                "values": [
                    {"key": "small", "name_ja": "手のひらほど", "name_en": "Hand-sized"},
                    {"key": "medium", "name_ja": "タイヤがはまるほど", "name_en": "Wheel-sized"},
                    {"key": "large", "name_ja": "車線をふさぐほど", "name_en": "Blocks the lane"},
                ],
            },
        ],
    ),
    (
        "street_light",
        "街灯の不具合",
        "Street light out",
        "roads",
        "💡",
        25,
        48,
        168,
        [
            {
                "code": "pole_number",
                "datatype": "string",
                "required": False,
                "description_ja": "電柱・街灯の番号（わかれば）",
                "description_en": "Pole number (if known)",
            },
        ],
    ),
    ("illegal_dumping", "不法投棄", "Illegal dumping", "environment", "🗑", 50, 48, 336, []),
    ("park_facility", "公園施設の破損", "Damaged park facility", "parks", "🌳", 40, 72, 336, []),
    ("graffiti", "落書き", "Graffiti", "environment", "🖌", 30, 72, 336, []),
    ("other", "その他", "Other", "citizens", "❓", 0, 72, None, []),
]

# category, description, lat, lng, status
REPORTS = [
    ("road_damage", "市役所前の交差点に深い穴があります。", 37.58530, 140.43200, Status.RECEIVED),
    (
        "street_light",
        "霞ヶ城公園入口の街灯が消えています。",
        37.59650,
        140.43780,
        Status.ACKNOWLEDGED,
    ),
    (
        "illegal_dumping",
        "河川敷に家電が捨てられています。",
        37.57820,
        140.42470,
        Status.IN_PROGRESS,
    ),
    ("park_facility", "公園のベンチが壊れています。", 37.59510, 140.43930, Status.RESOLVED),
]


async def seed(report) -> None:
    await seed_categories()
    if await seed_reports():
        report(f"reports: {len(CATEGORIES)} categories, {len(REPORTS)} demo reports")


async def seed_categories() -> None:
    for position, (
        code,
        name_ja,
        name_en,
        department,
        icon,
        radius,
        ack,
        resolve,
        questions,
    ) in enumerate(CATEGORIES):
        owner = await Department.get_or_none(code=department)
        if owner is None:
            continue
        await Category.get_or_create(
            code=code,
            defaults={
                "name_ja": name_ja,
                "name_en": name_en,
                "department": owner,
                "icon": icon,
                "duplicate_radius_m": radius,
                "acknowledge_hours": ack,
                "resolve_hours": resolve,
                "questions": questions,
                "position": position,
            },
        )


async def seed_reports() -> bool:
    if await Report.exists():
        return False
    resident = await Resident.filter(email__isnull=False).order_by("id").first()
    for index, (code, text, lat, lng, status) in enumerate(REPORTS):
        category = await Category.get_or_none(code=code)
        if category is None:
            continue
        created = clock.now() - timedelta(days=len(REPORTS) - index)
        due = deadlines(created, Targets(category.acknowledge_hours, category.resolve_hours))
        item = await Report.create(
            receipt_number=new_receipt_number(),
            category=category,
            department_id=category.department_id,
            description=text,
            lat=lat,
            lng=lng,
            cell=cell_of(lat, lng),
            address_pending=True,
            status=status,
            reporter=resident,
            acknowledge_due_at=due.acknowledge_by,
            resolve_due_at=due.resolve_by,
            created_at=created,
            updated_at=created,
            acknowledged_at=created if status != Status.RECEIVED else None,
            resolved_at=clock.now() if status == Status.RESOLVED else None,
        )
        await ReportEvent.create(
            report=item, kind="submitted", to_status=Status.RECEIVED, created_at=created
        )
    return True
