"""Realistic cases in bulk for the console benchmark: Vietnamese content and addresses of
the five units, kinds, statuses by age, deadlines, assignees, confidential denouncers.

Rows go in with core bulk inserts, so the ORM's search-column listener does not run:
the folded search columns are filled here with the same functions.
"""

from __future__ import annotations

import random
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from bot.cases.clock import local
from bot.cases.deadlines import INFORMING, RESOLVING, DueKind, inform_due, resolve_due
from bot.cases.models import Case
from bot.cases.search import identity_text, search_text
from bot.cases.status import CaseKind, CaseStatus
from bot.workdays.service import WorkCalendar

S = CaseStatus
# Core inserts of plain rows: no ORM bookkeeping per row.
CASES = cast(Table, Case.__table__)
BATCH = 5_000
UNITS = {  # unit → (weight, old ward or village names used in addresses)
    "CP": (30, ("Cẩm Trung", "Cẩm Thành", "Cẩm Bình", "Cẩm Tây", "Cẩm Đông")),
    "QH": (25, ("Quang Hanh", "Cẩm Thạch", "Cẩm Thủy")),
    "CO": (20, ("Cửa Ông", "Cẩm Phú", "Cẩm Sơn", "Cẩm Thịnh")),
    "MD": (15, ("Mông Dương", "Dương Huy")),
    "HH": (10, ("Hà Thành", "Cộng Hòa", "Hải Lạng", "Cẩm Hải")),
}
STREETS = (
    "Trần Phú", "Lý Thường Kiệt", "Bái Tử Long", "Lê Thanh Nghị", "Tô Hiệu", "Hạ Long",
    "Quang Trung", "Nguyễn Văn Cừ", "3/2", "Lý Bôn", "Kim Đồng", "Hoàng Quốc Việt",
)  # fmt: skip
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Phan")
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thu", "Ngọc", "Quang", "Thanh")
GIVEN = (
    "An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hoa", "Hùng", "Lan", "Long", "Mai",
    "Nam", "Phương", "Quân", "Tâm", "Thảo", "Trang", "Tuấn", "Yến", "Huệ", "Khánh",
)  # fmt: skip
PETITIONS = (
    "Đèn chiếu sáng công cộng tại {place} bị hỏng {n} tuần nay, buổi tối đi lại rất nguy hiểm.",
    "Nước thải từ khu dân cư {place} chảy tràn ra đường, bốc mùi hôi thối.",
    "Nổ mìn khai thác than gần {place} làm rung nứt tường nhà, đề nghị kiểm tra.",
    "Rác thải tập kết tại {place} đã {n} ngày không được thu gom, ruồi muỗi nhiều.",
    "Mưa lớn gây ngập úng tại {place}, nước tràn vào nhà dân, đề nghị nạo vét cống.",
    "Xe chở than đi qua {place} làm bụi mù mịt, đề nghị phun nước rửa đường.",
    "Mặt đường {street} bị sụt lún, nhiều ổ gà, đề nghị sửa chữa sớm.",
    "Quán karaoke tại {place} hát to sau 23 giờ, ảnh hưởng giấc ngủ của người dân.",
    "Cây xanh trên đường {street} nghiêng, có nguy cơ đổ vào nhà dân mùa mưa bão.",
    "Đề nghị lắp biển báo và gờ giảm tốc tại ngã ba đường {street}.",
    "Cống thoát nước trước {place} bị vỡ nắp, rất nguy hiểm cho học sinh.",
    "Bãi thải than sát {place} bị sạt khi mưa, bùn đất tràn xuống khu dân cư.",
)
ACTS = (
    "Quyết định số {n}/QĐ-UBND về việc thu hồi đất của hộ gia đình",
    "Quyết định xử phạt vi phạm hành chính số {n}/QĐ-XPVPHC",
    "Việc cấp giấy chứng nhận quyền sử dụng đất thửa số {n}",
    "Phương án bồi thường, hỗ trợ tái định cư dự án mở rộng đường {street}",
    "Quyết định cưỡng chế tháo dỡ công trình số {n}/QĐ-CC",
)
ISSUERS = ("UBND phường {ward}", "Chủ tịch UBND phường", "Phòng Tài nguyên và Môi trường")
REQUESTS = (
    "Đề nghị huỷ quyết định và bồi thường đúng giá thị trường.",
    "Đề nghị xem xét lại mức bồi thường, hỗ trợ cho gia đình.",
    "Đề nghị cấp giấy chứng nhận đúng diện tích đang sử dụng.",
    "Đề nghị đình chỉ thi hành quyết định trong khi chờ giải quyết.",
)
ACCUSED = (
    "ông {name}, cán bộ địa chính phường",
    "bà {name}, tổ trưởng tổ dân phố",
    "Công ty TNHH khai thác than {ward}",
    "ông {name}, chủ xưởng gỗ tại {place}",
)
VIOLATIONS = (
    "nhận tiền của người dân để làm nhanh hồ sơ đất đai",
    "lấn chiếm đất công xây nhà trái phép tại {place}",
    "khai thác than trái phép sát khu dân cư {place}",
    "xác nhận sai nguồn gốc đất để hợp thức hoá cho người quen",
    "đổ trộm chất thải xuống suối gần {place}",
)
# (share of cases, statuses with weights) by age in days: recent cases are still open,
# old ones mostly closed, with a backlog of late ones.
BY_AGE: Sequence[tuple[int, dict[CaseStatus, int]]] = (
    (10, {S.RECEIVED: 45, S.CLASSIFIED: 25, S.ACCEPTED: 15, S.IN_PROGRESS: 10, S.GUIDED: 5}),
    (60, {S.RECEIVED: 4, S.CLASSIFIED: 4, S.ACCEPTED: 10, S.IN_PROGRESS: 25, S.EXTENDED: 5,
          S.ANSWERED: 15, S.GUIDED: 8, S.TRANSFERRED: 7, S.NOT_ACCEPTED: 5, S.CLOSED: 17}),
    (10_000, {S.CLOSED: 82, S.WITHDRAWN: 4, S.ANSWERED: 4, S.IN_PROGRESS: 3, S.EXTENDED: 1,
              S.SUSPENDED: 2, S.RECEIVED: 1, S.GUIDED: 1, S.TRANSFERRED: 1, S.NOT_ACCEPTED: 1}),
)  # fmt: skip


class CaseMaker:
    """Makes one realistic case row at a time (a seeded random source: reproducible)."""

    def __init__(
        self, *, rng: random.Random, calendar: WorkCalendar, staff: dict[str, list[int]]
    ) -> None:
        self.rng = rng
        self.calendar = calendar
        self.staff = staff
        self.numbers: Counter[str] = Counter()

    def pick(self, options: Sequence[str]) -> str:
        return self.rng.choice(options)

    def name(self) -> str:
        return f"{self.pick(FAMILY)} {self.pick(MIDDLE)} {self.pick(GIVEN)}"

    def fill(self, template: str, ward: str) -> str:
        place = f"tổ {self.rng.randint(1, 12)}, khu {self.rng.randint(1, 9)} {ward}"
        return template.format(
            place=place,
            street=self.pick(STREETS),
            ward=ward,
            name=self.name(),
            n=self.rng.randint(2, 900),
        )

    def details(self, kind: CaseKind, ward: str, received: datetime) -> dict[str, Any]:
        if kind is CaseKind.PETITION:
            return {"content": self.fill(self.pick(PETITIONS), ward)}
        if kind is CaseKind.COMPLAINT:
            return {
                "act": self.fill(self.pick(ACTS), ward),
                "issuer": self.fill(self.pick(ISSUERS), ward),
                "learnt_on": (received - timedelta(days=self.rng.randint(3, 80)))
                .date()
                .isoformat(),
                "request": self.pick(REQUESTS),
            }
        return {
            "accused": self.fill(self.pick(ACCUSED), ward),
            "violation": self.fill(self.pick(VIOLATIONS), ward),
            "when": f"tháng {received.month}/{received.year}",
        }

    def identity(self, kind: CaseKind, anonymous: bool, ward: str) -> dict[str, str | None]:
        if anonymous:
            return {"citizen_name": None, "citizen_phone": None}
        phone = f"09{self.rng.randint(10_000_000, 99_999_999)}"
        if kind is CaseKind.PETITION:
            return {"citizen_name": self.name(), "citizen_phone": phone}
        return {
            "citizen_name": self.name(),
            "citizen_phone": phone,
            "citizen_id_number": f"022{self.rng.randint(100_000_000, 999_999_999)}",
            "citizen_address": f"tổ {self.rng.randint(1, 12)}, khu {self.rng.randint(1, 9)}, {ward}",
        }

    def status(self, age_days: int) -> CaseStatus:
        for limit, weights in BY_AGE:
            if age_days < limit:
                return self.rng.choices(list(weights), weights=list(weights.values()))[0]
        return S.CLOSED

    def row(self, received: datetime, now: datetime) -> dict[str, Any]:
        rng = self.rng
        unit = rng.choices(list(UNITS), weights=[w for w, _ in UNITS.values()])[0]
        ward = self.pick(UNITS[unit][1])
        kind = rng.choices(list(CaseKind), weights=(65, 22, 13))[0]
        anonymous = kind is not CaseKind.COMPLAINT and rng.random() < 0.15
        status = self.status((now - received).days)
        prefix = f"{unit}-{local(received):%y%m}-"
        self.numbers[prefix] += 1
        code = f"{prefix}{self.numbers[prefix]:04d}"
        details = self.details(kind, ward, received)
        address = f"{self.fill('{place}', ward)}, đường {self.pick(STREETS)}"
        who = self.identity(kind, anonymous, ward)
        due_on, due_kind = inform_due(received, self.calendar), DueKind.NONE
        if status in INFORMING:
            due_kind = DueKind.INFORM
        elif status in RESOLVING:
            accepted = local(received).date() + timedelta(days=rng.randint(3, 10))
            due_on, due_kind = resolve_due(kind, accepted, self.calendar), DueKind.RESOLVE
        assigned = status is not S.RECEIVED or rng.random() < 0.4
        return {
            "code": code,
            "draft_id": uuid.UUID(int=rng.getrandbits(128)).hex,
            "kind": kind.value,
            "unit_code": unit,
            "status": status.value,
            "chat_id": rng.randint(100_000, 9_999_999),
            "anonymous": anonymous,
            "as_information": anonymous and kind is CaseKind.DENUNCIATION,
            "confidential": kind is CaseKind.DENUNCIATION and not anonymous,
            "citizen_id_number": None,
            "citizen_address": None,
            **who,
            "address_detail": address,
            "details": details,
            "consent_handling": True,
            "consent_notify": True,
            "received_at": received,
            "due_on": due_on,
            "due_kind": due_kind.value,
            "assigned_to_id": rng.choice(self.staff[unit]) if assigned else None,
            "closed_at": received + timedelta(days=rng.randint(15, 60))
            if status is S.CLOSED
            else None,
            "search_text": search_text(code, details, address),
            "search_identity": identity_text(
                who.get("citizen_name"),
                who.get("citizen_phone"),
                who.get("citizen_id_number"),
                who.get("citizen_address"),
            ),
        }


def receipt_times(rng: random.Random, count: int, now: datetime, days: int) -> list[datetime]:
    """`count` receipt moments over the last `days` days, oldest first."""
    span = days * 86_400
    return sorted(now - timedelta(seconds=rng.randrange(span)) for _ in range(count))


def _batches(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def seed_cases(
    *,
    session: Session,
    count: int,
    staff: dict[str, list[int]],
    calendar: WorkCalendar,
    now: datetime,
    seed: int = 2026,
    days: int = 730,
) -> int:
    """Insert `count` realistic cases received over the last `days` days; returns count.

    `staff` maps each unit code to the ids of the people its cases may be assigned to.
    """
    rng = random.Random(seed)
    maker = CaseMaker(rng=rng, calendar=calendar, staff=staff)
    rows = (maker.row(at, now) for at in receipt_times(rng, count, now, days))
    for batch in _batches(rows):
        session.execute(insert(CASES), batch)
    return count
