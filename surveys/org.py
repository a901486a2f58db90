"""Operations on the organisation tree and party committees."""

from collections.abc import Iterable, Mapping

from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from vietnam_provinces import Province, VietNamDivisionType, Ward
from vietnam_provinces.codes import ProvinceCode

from . import audit
from .errors import N_, DomainError
from .models import Committee, CommitteeKind, Unit, UnitKind, User
from .text import nfc, nfc_multiline

_DIVISION_KINDS = {
    VietNamDivisionType.TINH: UnitKind.PROVINCE,
    VietNamDivisionType.THANH_PHO_TRUNG_UONG: UnitKind.PROVINCE,
    VietNamDivisionType.PHUONG: UnitKind.WARD,
    VietNamDivisionType.XA: UnitKind.COMMUNE,
    VietNamDivisionType.DAC_KHU: UnitKind.SPECIAL_ZONE,
}


def subtree_clause(units: Iterable[Unit]):
    """A WHERE clause matching the given units and everything below them."""
    paths = sorted({unit.path for unit in units})
    if not paths:
        return Unit.id.is_(None)
    return or_(*(Unit.path.startswith(path, autoescape=True) for path in paths))


def subtree_ids(session: Session, units: Iterable[Unit]) -> set[int]:
    return set(session.scalars(select(Unit.id).where(subtree_clause(units))))


# The report settings of units and committees (``models.ReportSettings``), as the admin forms name them.
REPORT_FIELDS = (
    "report_superior",
    "report_symbol",
    "report_place",
    "signer_authority",
    "signer_title",
    "signer_name",
    "report_recipients",
)


def _report_values(report: Mapping[str, str | None] | None) -> dict[str, str | None]:
    """Report settings as stored: NFC, trimmed (recipients keep one per line), empty as None."""
    report = report or {}
    values = {
        field: (nfc_multiline if field == "report_recipients" else nfc)(report.get(field)) or None
        for field in REPORT_FIELDS
    }
    if values["report_symbol"]:
        values["report_symbol"] = values["report_symbol"].upper()
    return values


def _name(obj: Unit | Committee | None) -> str | None:
    return obj.name if obj is not None else None


def _set_path(unit: Unit) -> None:
    prefix = unit.parent.path if unit.parent else "/"
    unit.path = f"{prefix}{unit.id}/"


def create_unit(
    session: Session,
    *,
    code: str,
    name: str,
    kind: UnitKind,
    parent: Unit | None,
    actor: User | None = None,
    report: Mapping[str, str | None] | None = None,
) -> Unit:
    code = nfc(code).upper()
    if session.scalar(select(Unit.id).where(Unit.code == code)):
        raise DomainError(N_("Mã đơn vị %(code)s đã tồn tại."), code=code)
    settings = _report_values(report)
    unit = Unit(code=code, name=nfc(name), kind=kind, parent=parent, **settings)
    session.add(unit)
    session.flush()  # the id is part of the path
    _set_path(unit)
    audit.record(
        session,
        actor,
        "unit.create",
        unit,
        code=unit.code,
        name=unit.name,
        kind=kind,
        parent=_name(parent),
        **{k: v for k, v in settings.items() if v},
    )
    return unit


def update_unit(
    session: Session,
    unit: Unit,
    *,
    name: str,
    kind: UnitKind,
    parent: Unit | None,
    is_active: bool,
    actor: User | None,
    report: Mapping[str, str | None] | None = None,
) -> Unit:
    """Change a unit; ``report`` (when given) replaces its report settings."""
    if parent is not None and parent.path.startswith(unit.path):
        raise DomainError(N_("Không thể đặt một đơn vị làm cấp dưới của chính nó."))
    values = {"name": nfc(name), "kind": kind, "is_active": is_active}
    changes = audit.set_changed(unit, values | (_report_values(report) if report is not None else {}))
    if unit.parent_id != (parent.id if parent else None):
        changes["parent"] = [_name(unit.parent), _name(parent)]
        old_prefix = unit.path
        unit.parent = parent
        _set_path(unit)
        # Re-root the whole subtree in one pass.
        for descendant in session.scalars(select(Unit).where(Unit.path.startswith(old_prefix), Unit.id != unit.id)):
            descendant.path = unit.path + descendant.path[len(old_prefix) :]
    if changes:
        audit.record(session, actor, "unit.update", unit, changes)
    return unit


def import_divisions(
    session: Session, province_code: int, ward_codes: Iterable[int] | None = None, actor: User | None = None
) -> Unit:
    """Create (or reuse) a province and its communes/wards from the official list in ``vietnam-provinces``."""
    province = Province.from_code(ProvinceCode(province_code))
    root = session.scalar(select(Unit).where(Unit.code == f"{province_code:02d}"))
    if root is None:
        root = create_unit(
            session,
            code=f"{province_code:02d}",
            name=province.name if province.name.startswith(("Tỉnh", "Thành phố")) else f"Tỉnh {province.name}",
            kind=UnitKind.PROVINCE,
            parent=None,
            actor=actor,
        )
    wanted = set(ward_codes) if ward_codes is not None else None
    existing = set(session.scalars(select(Unit.code).where(Unit.parent_id == root.id)))
    for ward in Ward.iter_all():
        if ward.province_code != province.code or (wanted is not None and int(ward.code) not in wanted):
            continue
        code = f"{int(ward.code):05d}"
        if code not in existing:
            create_unit(
                session, code=code, name=ward.name, kind=_DIVISION_KINDS[ward.division_type], parent=root, actor=actor
            )
    return root


def create_committee(
    session: Session,
    *,
    code: str,
    name: str,
    kind: CommitteeKind,
    unit: Unit,
    overseen: list[Unit],
    actor: User | None = None,
    report: Mapping[str, str | None] | None = None,
) -> Committee:
    code = nfc(code).upper()
    if session.scalar(select(Committee.id).where(Committee.code == code)):
        raise DomainError(N_("Mã cấp ủy %(code)s đã tồn tại."), code=code)
    settings = _report_values(report)
    committee = Committee(code=code, name=nfc(name), kind=kind, unit=unit, overseen_units=list(overseen), **settings)
    session.add(committee)
    session.flush()
    audit.record(
        session,
        actor,
        "committee.create",
        committee,
        code=code,
        name=committee.name,
        kind=kind,
        unit=unit.name,
        units=[u.name for u in overseen],
        **{k: v for k, v in settings.items() if v},
    )
    return committee


def update_committee(
    session: Session,
    committee: Committee,
    *,
    name: str,
    kind: CommitteeKind,
    unit: Unit,
    overseen: list[Unit],
    actor: User | None,
    report: Mapping[str, str | None] | None = None,
) -> Committee:
    """Change a committee; ``report`` (when given) replaces its report settings."""
    values = {"name": nfc(name), "kind": kind}
    changes = audit.set_changed(committee, values | (_report_values(report) if report is not None else {}))
    if committee.unit_id != unit.id:
        changes["unit"] = [_name(committee.unit), unit.name]
        committee.unit = unit
    before, after = sorted(u.name for u in committee.overseen_units), sorted(u.name for u in overseen)
    committee.overseen_units = list(overseen)
    if before != after:
        changes["units"] = [before, after]
    if changes:
        audit.record(session, actor, "committee.update", committee, changes)
    return committee
