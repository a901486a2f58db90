"""The organisation: units in a tree, and party committees overseeing units."""

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, link_table, utcnow


class UnitKind(enum.StrEnum):
    # Two-level local government since 1 July 2025: province, then commune/ward/special zone.
    PROVINCE = "province"
    WARD = "ward"
    COMMUNE = "commune"
    SPECIAL_ZONE = "special_zone"
    # Bodies under either level.
    AGENCY = "agency"  # sở, ban, ngành; cơ quan chuyên môn
    DEPARTMENT = "department"  # phòng, ban thuộc cơ quan
    PUBLIC_SERVICE_UNIT = "public_service_unit"  # đơn vị sự nghiệp công lập
    OTHER = "other"
    # The Fatherland Front and the socio-political organisations, under the province or commune
    # whose area they supervise (surveys.access: their officers' "area" is that parent's subtree).
    FRONT_COMMITTEE = "front_committee"  # Ủy ban Mặt trận Tổ quốc Việt Nam
    TRADE_UNION = "trade_union"  # Công đoàn
    YOUTH_UNION = "youth_union"  # Đoàn Thanh niên Cộng sản Hồ Chí Minh
    WOMEN_UNION = "women_union"  # Hội Liên hiệp Phụ nữ
    FARMERS_UNION = "farmers_union"  # Hội Nông dân
    VETERANS_ASSOCIATION = "veterans_association"  # Hội Cựu chiến binh


ADMINISTRATIVE_KINDS = frozenset({UnitKind.PROVINCE, UnitKind.WARD, UnitKind.COMMUNE, UnitKind.SPECIAL_ZONE})
ORGANISATION_KINDS = frozenset(
    {
        UnitKind.FRONT_COMMITTEE,
        UnitKind.TRADE_UNION,
        UnitKind.YOUTH_UNION,
        UnitKind.WOMEN_UNION,
        UnitKind.FARMERS_UNION,
        UnitKind.VETERANS_ASSOCIATION,
    }
)
# Units whose residents (not only staff) can be surveyed through a public link.
RESIDENTIAL_KINDS = frozenset({UnitKind.WARD, UnitKind.COMMUNE, UnitKind.SPECIAL_ZONE})


def enum_column(enum_cls: type[enum.Enum], name: str) -> Enum:
    # Stored as plain strings (no native PG enum) so adding a value is a one-line migration.
    return Enum(enum_cls, name=name, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e])


class ReportSettings:
    """What an issuing body puts on its reports (Decree 30/2020/NĐ-CP): the superior body above its
    name, its document symbol, the place on the date line, the signature block and the recipients.
    Empty means "use the default" (``surveys.reports.letterhead``)."""

    report_superior: Mapped[str | None] = mapped_column(String(255))  # cơ quan chủ quản
    report_symbol: Mapped[str | None] = mapped_column(String(32))  # "SNV" in "Số: …/BC-SNV"
    report_place: Mapped[str | None] = mapped_column(String(100))  # "Tuyên Quang, ngày …"
    signer_authority: Mapped[str | None] = mapped_column(String(100))  # "KT. GIÁM ĐỐC", "TM. BAN THƯỜNG VỤ"
    signer_title: Mapped[str | None] = mapped_column(String(100))  # "PHÓ GIÁM ĐỐC"
    signer_name: Mapped[str | None] = mapped_column(String(255))
    report_recipients: Mapped[str | None] = mapped_column(Text)  # one per line, under "Nơi nhận:"


class Unit(ReportSettings, Base):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[UnitKind] = mapped_column(enum_column(UnitKind, "unit_kind"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    # Materialised path "/1/7/42/": a subtree is one indexed prefix match, on any engine.
    path: Mapped[str] = mapped_column(String(512), index=True, default="")
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    parent: Mapped["Unit | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Unit"]] = relationship(back_populates="parent", order_by="Unit.name")

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part][:-1]

    def __repr__(self) -> str:
        return f"<Unit {self.code} {self.name!r}>"


class CommitteeKind(enum.StrEnum):
    PROVINCIAL = "provincial"  # Tỉnh ủy / Thành ủy
    PARTY_COMMITTEE = "party_committee"  # Đảng ủy
    PARTY_CELL = "party_cell"  # Chi bộ


committee_units = link_table("committee_units", "committees", "units")


class Committee(ReportSettings, Base):
    """A party committee (cấp ủy) or cell (chi bộ) attached to a unit, overseeing a set of units."""

    __tablename__ = "committees"
    __table_args__ = (UniqueConstraint("code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[CommitteeKind] = mapped_column(enum_column(CommitteeKind, "committee_kind"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    unit: Mapped[Unit] = relationship()
    overseen_units: Mapped[list[Unit]] = relationship(secondary=committee_units, order_by="Unit.name")

    def __repr__(self) -> str:
        return f"<Committee {self.code} {self.name!r}>"
