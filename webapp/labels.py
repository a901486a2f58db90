"""Vietnamese labels for the domain's enumerations, shared by forms and templates."""
from flask_babel import lazy_gettext as _l

from surveys.models import CommitteeKind, UnitKind

UNIT_KIND_LABELS = {
    UnitKind.PROVINCE: _l("Tỉnh, thành phố"),
    UnitKind.WARD: _l("Phường"),
    UnitKind.COMMUNE: _l("Xã"),
    UnitKind.SPECIAL_ZONE: _l("Đặc khu"),
    UnitKind.AGENCY: _l("Cơ quan (sở, ban, ngành)"),
    UnitKind.DEPARTMENT: _l("Phòng, ban"),
    UnitKind.PUBLIC_SERVICE_UNIT: _l("Đơn vị sự nghiệp công lập"),
    UnitKind.OTHER: _l("Khác"),
}
COMMITTEE_KIND_LABELS = {
    CommitteeKind.PROVINCIAL: _l("Tỉnh ủy, Thành ủy"),
    CommitteeKind.PARTY_COMMITTEE: _l("Đảng ủy"),
    CommitteeKind.PARTY_CELL: _l("Chi bộ"),
}
