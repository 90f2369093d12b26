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
