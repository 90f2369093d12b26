from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CoverageRow(_message.Message):
    __slots__ = ("region_code", "region_name", "target", "recorded", "coverage_ratio", "print_ready", "cards_printed", "suket_outstanding")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    REGION_NAME_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    RECORDED_FIELD_NUMBER: _ClassVar[int]
    COVERAGE_RATIO_FIELD_NUMBER: _ClassVar[int]
    PRINT_READY_FIELD_NUMBER: _ClassVar[int]
    CARDS_PRINTED_FIELD_NUMBER: _ClassVar[int]
    SUKET_OUTSTANDING_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    region_name: str
    target: int
    recorded: int
    coverage_ratio: float
    print_ready: int
    cards_printed: int
    suket_outstanding: int
    def __init__(self, region_code: _Optional[str] = ..., region_name: _Optional[str] = ..., target: _Optional[int] = ..., recorded: _Optional[int] = ..., coverage_ratio: _Optional[float] = ..., print_ready: _Optional[int] = ..., cards_printed: _Optional[int] = ..., suket_outstanding: _Optional[int] = ...) -> None: ...

class GetCoverageRequest(_message.Message):
    __slots__ = ("region_code",)
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    def __init__(self, region_code: _Optional[str] = ...) -> None: ...

class GetCoverageResponse(_message.Message):
    __slots__ = ("total", "rows")
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    total: CoverageRow
    rows: _containers.RepeatedCompositeFieldContainer[CoverageRow]
    def __init__(self, total: _Optional[_Union[CoverageRow, _Mapping]] = ..., rows: _Optional[_Iterable[_Union[CoverageRow, _Mapping]]] = ...) -> None: ...

class CoverageSeriesPoint(_message.Message):
    __slots__ = ("day", "recorded", "cumulative", "coverage_ratio")
    DAY_FIELD_NUMBER: _ClassVar[int]
    RECORDED_FIELD_NUMBER: _ClassVar[int]
    CUMULATIVE_FIELD_NUMBER: _ClassVar[int]
    COVERAGE_RATIO_FIELD_NUMBER: _ClassVar[int]
    day: str
    recorded: int
    cumulative: int
    coverage_ratio: float
    def __init__(self, day: _Optional[str] = ..., recorded: _Optional[int] = ..., cumulative: _Optional[int] = ..., coverage_ratio: _Optional[float] = ...) -> None: ...

class GetCoverageSeriesRequest(_message.Message):
    __slots__ = ("region_code", "from_day", "to_day")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    FROM_DAY_FIELD_NUMBER: _ClassVar[int]
    TO_DAY_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    from_day: str
    to_day: str
    def __init__(self, region_code: _Optional[str] = ..., from_day: _Optional[str] = ..., to_day: _Optional[str] = ...) -> None: ...

class GetCoverageSeriesResponse(_message.Message):
    __slots__ = ("region_code", "target", "points")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    target: int
    points: _containers.RepeatedCompositeFieldContainer[CoverageSeriesPoint]
    def __init__(self, region_code: _Optional[str] = ..., target: _Optional[int] = ..., points: _Optional[_Iterable[_Union[CoverageSeriesPoint, _Mapping]]] = ...) -> None: ...

class FunnelRow(_message.Message):
    __slots__ = ("region_code", "region_name", "target", "recorded", "print_ready", "printed", "dispatched", "handed_over", "suket_outstanding", "suket_expiring", "print_backlog")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    REGION_NAME_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    RECORDED_FIELD_NUMBER: _ClassVar[int]
    PRINT_READY_FIELD_NUMBER: _ClassVar[int]
    PRINTED_FIELD_NUMBER: _ClassVar[int]
    DISPATCHED_FIELD_NUMBER: _ClassVar[int]
    HANDED_OVER_FIELD_NUMBER: _ClassVar[int]
    SUKET_OUTSTANDING_FIELD_NUMBER: _ClassVar[int]
    SUKET_EXPIRING_FIELD_NUMBER: _ClassVar[int]
    PRINT_BACKLOG_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    region_name: str
    target: int
    recorded: int
    print_ready: int
    printed: int
    dispatched: int
    handed_over: int
    suket_outstanding: int
    suket_expiring: int
    print_backlog: int
    def __init__(self, region_code: _Optional[str] = ..., region_name: _Optional[str] = ..., target: _Optional[int] = ..., recorded: _Optional[int] = ..., print_ready: _Optional[int] = ..., printed: _Optional[int] = ..., dispatched: _Optional[int] = ..., handed_over: _Optional[int] = ..., suket_outstanding: _Optional[int] = ..., suket_expiring: _Optional[int] = ..., print_backlog: _Optional[int] = ...) -> None: ...

class GetFunnelRequest(_message.Message):
    __slots__ = ("region_code",)
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    def __init__(self, region_code: _Optional[str] = ...) -> None: ...

class GetFunnelResponse(_message.Message):
    __slots__ = ("total", "rows", "backlog_clear_days", "print_rate_per_day")
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    BACKLOG_CLEAR_DAYS_FIELD_NUMBER: _ClassVar[int]
    PRINT_RATE_PER_DAY_FIELD_NUMBER: _ClassVar[int]
    total: FunnelRow
    rows: _containers.RepeatedCompositeFieldContainer[FunnelRow]
    backlog_clear_days: float
    print_rate_per_day: float
    def __init__(self, total: _Optional[_Union[FunnelRow, _Mapping]] = ..., rows: _Optional[_Iterable[_Union[FunnelRow, _Mapping]]] = ..., backlog_clear_days: _Optional[float] = ..., print_rate_per_day: _Optional[float] = ...) -> None: ...

class StockRow(_message.Message):
    __slots__ = ("office_code", "office_name", "on_hand", "received", "consumed", "spoiled", "days_of_cover", "stock_out_days", "out_of_stock")
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    OFFICE_NAME_FIELD_NUMBER: _ClassVar[int]
    ON_HAND_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_FIELD_NUMBER: _ClassVar[int]
    CONSUMED_FIELD_NUMBER: _ClassVar[int]
    SPOILED_FIELD_NUMBER: _ClassVar[int]
    DAYS_OF_COVER_FIELD_NUMBER: _ClassVar[int]
    STOCK_OUT_DAYS_FIELD_NUMBER: _ClassVar[int]
    OUT_OF_STOCK_FIELD_NUMBER: _ClassVar[int]
    office_code: str
    office_name: str
    on_hand: int
    received: int
    consumed: int
    spoiled: int
    days_of_cover: float
    stock_out_days: int
    out_of_stock: bool
    def __init__(self, office_code: _Optional[str] = ..., office_name: _Optional[str] = ..., on_hand: _Optional[int] = ..., received: _Optional[int] = ..., consumed: _Optional[int] = ..., spoiled: _Optional[int] = ..., days_of_cover: _Optional[float] = ..., stock_out_days: _Optional[int] = ..., out_of_stock: _Optional[bool] = ...) -> None: ...

class ProcurementRow(_message.Message):
    __slots__ = ("package_id", "fiscal_year", "quantity", "status", "reason", "delivered", "expected_arrival")
    PACKAGE_ID_FIELD_NUMBER: _ClassVar[int]
    FISCAL_YEAR_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    DELIVERED_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_ARRIVAL_FIELD_NUMBER: _ClassVar[int]
    package_id: str
    fiscal_year: int
    quantity: int
    status: str
    reason: str
    delivered: int
    expected_arrival: str
    def __init__(self, package_id: _Optional[str] = ..., fiscal_year: _Optional[int] = ..., quantity: _Optional[int] = ..., status: _Optional[str] = ..., reason: _Optional[str] = ..., delivered: _Optional[int] = ..., expected_arrival: _Optional[str] = ...) -> None: ...

class GetStockBoardRequest(_message.Message):
    __slots__ = ("region_code",)
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    def __init__(self, region_code: _Optional[str] = ...) -> None: ...

class GetStockBoardResponse(_message.Message):
    __slots__ = ("offices", "procurements")
    OFFICES_FIELD_NUMBER: _ClassVar[int]
    PROCUREMENTS_FIELD_NUMBER: _ClassVar[int]
    offices: _containers.RepeatedCompositeFieldContainer[StockRow]
    procurements: _containers.RepeatedCompositeFieldContainer[ProcurementRow]
    def __init__(self, offices: _Optional[_Iterable[_Union[StockRow, _Mapping]]] = ..., procurements: _Optional[_Iterable[_Union[ProcurementRow, _Mapping]]] = ...) -> None: ...

class DriveRow(_message.Message):
    __slots__ = ("drive_id", "office_code", "planned_for", "village_codes", "recorded", "failed", "duplicates", "coverage_gained", "closed")
    DRIVE_ID_FIELD_NUMBER: _ClassVar[int]
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    PLANNED_FOR_FIELD_NUMBER: _ClassVar[int]
    VILLAGE_CODES_FIELD_NUMBER: _ClassVar[int]
    RECORDED_FIELD_NUMBER: _ClassVar[int]
    FAILED_FIELD_NUMBER: _ClassVar[int]
    DUPLICATES_FIELD_NUMBER: _ClassVar[int]
    COVERAGE_GAINED_FIELD_NUMBER: _ClassVar[int]
    CLOSED_FIELD_NUMBER: _ClassVar[int]
    drive_id: int
    office_code: str
    planned_for: str
    village_codes: _containers.RepeatedScalarFieldContainer[str]
    recorded: int
    failed: int
    duplicates: int
    coverage_gained: float
    closed: bool
    def __init__(self, drive_id: _Optional[int] = ..., office_code: _Optional[str] = ..., planned_for: _Optional[str] = ..., village_codes: _Optional[_Iterable[str]] = ..., recorded: _Optional[int] = ..., failed: _Optional[int] = ..., duplicates: _Optional[int] = ..., coverage_gained: _Optional[float] = ..., closed: _Optional[bool] = ...) -> None: ...

class DriveDay(_message.Message):
    __slots__ = ("day", "recorded")
    DAY_FIELD_NUMBER: _ClassVar[int]
    RECORDED_FIELD_NUMBER: _ClassVar[int]
    day: str
    recorded: int
    def __init__(self, day: _Optional[str] = ..., recorded: _Optional[int] = ...) -> None: ...

class GetDriveReportRequest(_message.Message):
    __slots__ = ("region_code",)
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    def __init__(self, region_code: _Optional[str] = ...) -> None: ...

class GetDriveReportResponse(_message.Message):
    __slots__ = ("drives", "days")
    DRIVES_FIELD_NUMBER: _ClassVar[int]
    DAYS_FIELD_NUMBER: _ClassVar[int]
    drives: _containers.RepeatedCompositeFieldContainer[DriveRow]
    days: _containers.RepeatedCompositeFieldContainer[DriveDay]
    def __init__(self, drives: _Optional[_Iterable[_Union[DriveRow, _Mapping]]] = ..., days: _Optional[_Iterable[_Union[DriveDay, _Mapping]]] = ...) -> None: ...

class VoterReadinessRow(_message.Message):
    __slots__ = ("region_code", "region_name", "eligible", "not_recorded", "recorded_without_document", "ready")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    REGION_NAME_FIELD_NUMBER: _ClassVar[int]
    ELIGIBLE_FIELD_NUMBER: _ClassVar[int]
    NOT_RECORDED_FIELD_NUMBER: _ClassVar[int]
    RECORDED_WITHOUT_DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    READY_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    region_name: str
    eligible: int
    not_recorded: int
    recorded_without_document: int
    ready: int
    def __init__(self, region_code: _Optional[str] = ..., region_name: _Optional[str] = ..., eligible: _Optional[int] = ..., not_recorded: _Optional[int] = ..., recorded_without_document: _Optional[int] = ..., ready: _Optional[int] = ...) -> None: ...

class GetVoterReadinessRequest(_message.Message):
    __slots__ = ("region_code", "election_date")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    ELECTION_DATE_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    election_date: str
    def __init__(self, region_code: _Optional[str] = ..., election_date: _Optional[str] = ...) -> None: ...

class GetVoterReadinessResponse(_message.Message):
    __slots__ = ("election_date", "total", "rows")
    ELECTION_DATE_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    election_date: str
    total: VoterReadinessRow
    rows: _containers.RepeatedCompositeFieldContainer[VoterReadinessRow]
    def __init__(self, election_date: _Optional[str] = ..., total: _Optional[_Union[VoterReadinessRow, _Mapping]] = ..., rows: _Optional[_Iterable[_Union[VoterReadinessRow, _Mapping]]] = ...) -> None: ...
