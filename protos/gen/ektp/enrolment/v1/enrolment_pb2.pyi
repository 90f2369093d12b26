import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from ektp.events.v1 import events_pb2 as _events_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Sex(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SEX_UNSPECIFIED: _ClassVar[Sex]
    SEX_MALE: _ClassVar[Sex]
    SEX_FEMALE: _ClassVar[Sex]

class MaritalStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MARITAL_STATUS_UNSPECIFIED: _ClassVar[MaritalStatus]
    MARITAL_STATUS_SINGLE: _ClassVar[MaritalStatus]
    MARITAL_STATUS_MARRIED: _ClassVar[MaritalStatus]
    MARITAL_STATUS_DIVORCED: _ClassVar[MaritalStatus]
    MARITAL_STATUS_WIDOWED: _ClassVar[MaritalStatus]

class Religion(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RELIGION_UNSPECIFIED: _ClassVar[Religion]
    RELIGION_ISLAM: _ClassVar[Religion]
    RELIGION_KRISTEN: _ClassVar[Religion]
    RELIGION_KATOLIK: _ClassVar[Religion]
    RELIGION_HINDU: _ClassVar[Religion]
    RELIGION_BUDDHA: _ClassVar[Religion]
    RELIGION_KHONGHUCU: _ClassVar[Religion]
    RELIGION_KEPERCAYAAN: _ClassVar[Religion]

class Citizenship(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CITIZENSHIP_UNSPECIFIED: _ClassVar[Citizenship]
    CITIZENSHIP_WNI: _ClassVar[Citizenship]
    CITIZENSHIP_WNA: _ClassVar[Citizenship]

class RecordingState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RECORDING_STATE_UNSPECIFIED: _ClassVar[RecordingState]
    RECORDING_STATE_CAPTURED: _ClassVar[RecordingState]
    RECORDING_STATE_SENT: _ClassVar[RecordingState]
    RECORDING_STATE_PRINT_READY: _ClassVar[RecordingState]
    RECORDING_STATE_DUPLICATE: _ClassVar[RecordingState]
    RECORDING_STATE_FAILED: _ClassVar[RecordingState]

class Modality(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MODALITY_UNSPECIFIED: _ClassVar[Modality]
    MODALITY_FACE: _ClassVar[Modality]
    MODALITY_SIGNATURE: _ClassVar[Modality]
    MODALITY_IRIS_LEFT: _ClassVar[Modality]
    MODALITY_IRIS_RIGHT: _ClassVar[Modality]
    MODALITY_FINGER_RIGHT_THUMB: _ClassVar[Modality]
    MODALITY_FINGER_RIGHT_INDEX: _ClassVar[Modality]
    MODALITY_FINGER_RIGHT_MIDDLE: _ClassVar[Modality]
    MODALITY_FINGER_RIGHT_RING: _ClassVar[Modality]
    MODALITY_FINGER_RIGHT_LITTLE: _ClassVar[Modality]
    MODALITY_FINGER_LEFT_THUMB: _ClassVar[Modality]
    MODALITY_FINGER_LEFT_INDEX: _ClassVar[Modality]
    MODALITY_FINGER_LEFT_MIDDLE: _ClassVar[Modality]
    MODALITY_FINGER_LEFT_RING: _ClassVar[Modality]
    MODALITY_FINGER_LEFT_LITTLE: _ClassVar[Modality]

class RecordingType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RECORDING_TYPE_UNSPECIFIED: _ClassVar[RecordingType]
    RECORDING_TYPE_NEW: _ClassVar[RecordingType]
    RECORDING_TYPE_MOVED_IN: _ClassVar[RecordingType]
    RECORDING_TYPE_DATA_CHANGE: _ClassVar[RecordingType]
    RECORDING_TYPE_REPLACEMENT: _ClassVar[RecordingType]

class AdjudicationDecision(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ADJUDICATION_DECISION_UNSPECIFIED: _ClassVar[AdjudicationDecision]
    ADJUDICATION_DECISION_SAME_PERSON: _ClassVar[AdjudicationDecision]
    ADJUDICATION_DECISION_DIFFERENT_PERSON: _ClassVar[AdjudicationDecision]
    ADJUDICATION_DECISION_FRAUD: _ClassVar[AdjudicationDecision]

class RegionLevel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REGION_LEVEL_UNSPECIFIED: _ClassVar[RegionLevel]
    REGION_LEVEL_PROVINCE: _ClassVar[RegionLevel]
    REGION_LEVEL_REGENCY: _ClassVar[RegionLevel]
    REGION_LEVEL_DISTRICT: _ClassVar[RegionLevel]
    REGION_LEVEL_VILLAGE: _ClassVar[RegionLevel]

class SyncOutcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SYNC_OUTCOME_UNSPECIFIED: _ClassVar[SyncOutcome]
    SYNC_OUTCOME_ACCEPTED: _ClassVar[SyncOutcome]
    SYNC_OUTCOME_DUPLICATE: _ClassVar[SyncOutcome]
    SYNC_OUTCOME_INVALID: _ClassVar[SyncOutcome]
    SYNC_OUTCOME_NOT_ELIGIBLE: _ClassVar[SyncOutcome]
    SYNC_OUTCOME_FAILED: _ClassVar[SyncOutcome]
    SYNC_OUTCOME_OUT_OF_SCOPE: _ClassVar[SyncOutcome]

class DriveState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DRIVE_STATE_UNSPECIFIED: _ClassVar[DriveState]
    DRIVE_STATE_PLANNED: _ClassVar[DriveState]
    DRIVE_STATE_OPEN: _ClassVar[DriveState]
    DRIVE_STATE_CLOSED: _ClassVar[DriveState]
SEX_UNSPECIFIED: Sex
SEX_MALE: Sex
SEX_FEMALE: Sex
MARITAL_STATUS_UNSPECIFIED: MaritalStatus
MARITAL_STATUS_SINGLE: MaritalStatus
MARITAL_STATUS_MARRIED: MaritalStatus
MARITAL_STATUS_DIVORCED: MaritalStatus
MARITAL_STATUS_WIDOWED: MaritalStatus
RELIGION_UNSPECIFIED: Religion
RELIGION_ISLAM: Religion
RELIGION_KRISTEN: Religion
RELIGION_KATOLIK: Religion
RELIGION_HINDU: Religion
RELIGION_BUDDHA: Religion
RELIGION_KHONGHUCU: Religion
RELIGION_KEPERCAYAAN: Religion
CITIZENSHIP_UNSPECIFIED: Citizenship
CITIZENSHIP_WNI: Citizenship
CITIZENSHIP_WNA: Citizenship
RECORDING_STATE_UNSPECIFIED: RecordingState
RECORDING_STATE_CAPTURED: RecordingState
RECORDING_STATE_SENT: RecordingState
RECORDING_STATE_PRINT_READY: RecordingState
RECORDING_STATE_DUPLICATE: RecordingState
RECORDING_STATE_FAILED: RecordingState
MODALITY_UNSPECIFIED: Modality
MODALITY_FACE: Modality
MODALITY_SIGNATURE: Modality
MODALITY_IRIS_LEFT: Modality
MODALITY_IRIS_RIGHT: Modality
MODALITY_FINGER_RIGHT_THUMB: Modality
MODALITY_FINGER_RIGHT_INDEX: Modality
MODALITY_FINGER_RIGHT_MIDDLE: Modality
MODALITY_FINGER_RIGHT_RING: Modality
MODALITY_FINGER_RIGHT_LITTLE: Modality
MODALITY_FINGER_LEFT_THUMB: Modality
MODALITY_FINGER_LEFT_INDEX: Modality
MODALITY_FINGER_LEFT_MIDDLE: Modality
MODALITY_FINGER_LEFT_RING: Modality
MODALITY_FINGER_LEFT_LITTLE: Modality
RECORDING_TYPE_UNSPECIFIED: RecordingType
RECORDING_TYPE_NEW: RecordingType
RECORDING_TYPE_MOVED_IN: RecordingType
RECORDING_TYPE_DATA_CHANGE: RecordingType
RECORDING_TYPE_REPLACEMENT: RecordingType
ADJUDICATION_DECISION_UNSPECIFIED: AdjudicationDecision
ADJUDICATION_DECISION_SAME_PERSON: AdjudicationDecision
ADJUDICATION_DECISION_DIFFERENT_PERSON: AdjudicationDecision
ADJUDICATION_DECISION_FRAUD: AdjudicationDecision
REGION_LEVEL_UNSPECIFIED: RegionLevel
REGION_LEVEL_PROVINCE: RegionLevel
REGION_LEVEL_REGENCY: RegionLevel
REGION_LEVEL_DISTRICT: RegionLevel
REGION_LEVEL_VILLAGE: RegionLevel
SYNC_OUTCOME_UNSPECIFIED: SyncOutcome
SYNC_OUTCOME_ACCEPTED: SyncOutcome
SYNC_OUTCOME_DUPLICATE: SyncOutcome
SYNC_OUTCOME_INVALID: SyncOutcome
SYNC_OUTCOME_NOT_ELIGIBLE: SyncOutcome
SYNC_OUTCOME_FAILED: SyncOutcome
SYNC_OUTCOME_OUT_OF_SCOPE: SyncOutcome
DRIVE_STATE_UNSPECIFIED: DriveState
DRIVE_STATE_PLANNED: DriveState
DRIVE_STATE_OPEN: DriveState
DRIVE_STATE_CLOSED: DriveState

class Resident(_message.Message):
    __slots__ = ("nik", "kk_number", "full_name", "birth_place", "birth_date", "sex", "blood_type", "address", "rt", "rw", "region_code", "religion", "marital_status", "occupation", "citizenship", "mother_name", "father_name")
    NIK_FIELD_NUMBER: _ClassVar[int]
    KK_NUMBER_FIELD_NUMBER: _ClassVar[int]
    FULL_NAME_FIELD_NUMBER: _ClassVar[int]
    BIRTH_PLACE_FIELD_NUMBER: _ClassVar[int]
    BIRTH_DATE_FIELD_NUMBER: _ClassVar[int]
    SEX_FIELD_NUMBER: _ClassVar[int]
    BLOOD_TYPE_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    RT_FIELD_NUMBER: _ClassVar[int]
    RW_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    RELIGION_FIELD_NUMBER: _ClassVar[int]
    MARITAL_STATUS_FIELD_NUMBER: _ClassVar[int]
    OCCUPATION_FIELD_NUMBER: _ClassVar[int]
    CITIZENSHIP_FIELD_NUMBER: _ClassVar[int]
    MOTHER_NAME_FIELD_NUMBER: _ClassVar[int]
    FATHER_NAME_FIELD_NUMBER: _ClassVar[int]
    nik: str
    kk_number: str
    full_name: str
    birth_place: str
    birth_date: str
    sex: Sex
    blood_type: str
    address: str
    rt: str
    rw: str
    region_code: str
    religion: Religion
    marital_status: MaritalStatus
    occupation: str
    citizenship: Citizenship
    mother_name: str
    father_name: str
    def __init__(self, nik: _Optional[str] = ..., kk_number: _Optional[str] = ..., full_name: _Optional[str] = ..., birth_place: _Optional[str] = ..., birth_date: _Optional[str] = ..., sex: _Optional[_Union[Sex, str]] = ..., blood_type: _Optional[str] = ..., address: _Optional[str] = ..., rt: _Optional[str] = ..., rw: _Optional[str] = ..., region_code: _Optional[str] = ..., religion: _Optional[_Union[Religion, str]] = ..., marital_status: _Optional[_Union[MaritalStatus, str]] = ..., occupation: _Optional[str] = ..., citizenship: _Optional[_Union[Citizenship, str]] = ..., mother_name: _Optional[str] = ..., father_name: _Optional[str] = ...) -> None: ...

class ModalityQuality(_message.Message):
    __slots__ = ("modality", "quality", "template_digest")
    MODALITY_FIELD_NUMBER: _ClassVar[int]
    QUALITY_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_DIGEST_FIELD_NUMBER: _ClassVar[int]
    modality: Modality
    quality: int
    template_digest: str
    def __init__(self, modality: _Optional[_Union[Modality, str]] = ..., quality: _Optional[int] = ..., template_digest: _Optional[str] = ...) -> None: ...

class BiometricCapture(_message.Message):
    __slots__ = ("qualities", "template_digest", "face_photo", "signature")
    QUALITIES_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_DIGEST_FIELD_NUMBER: _ClassVar[int]
    FACE_PHOTO_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    qualities: _containers.RepeatedCompositeFieldContainer[ModalityQuality]
    template_digest: str
    face_photo: bytes
    signature: bytes
    def __init__(self, qualities: _Optional[_Iterable[_Union[ModalityQuality, _Mapping]]] = ..., template_digest: _Optional[str] = ..., face_photo: _Optional[bytes] = ..., signature: _Optional[bytes] = ...) -> None: ...

class Recording(_message.Message):
    __slots__ = ("register_number", "state", "resident", "office_code", "captured_at", "review_flags", "duplicate_of", "face_photo", "signature", "recording_type", "previous_register_number", "failure_reason", "hold_until", "drive_id")
    REGISTER_NUMBER_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    RESIDENT_FIELD_NUMBER: _ClassVar[int]
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    CAPTURED_AT_FIELD_NUMBER: _ClassVar[int]
    REVIEW_FLAGS_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_OF_FIELD_NUMBER: _ClassVar[int]
    FACE_PHOTO_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    RECORDING_TYPE_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_REGISTER_NUMBER_FIELD_NUMBER: _ClassVar[int]
    FAILURE_REASON_FIELD_NUMBER: _ClassVar[int]
    HOLD_UNTIL_FIELD_NUMBER: _ClassVar[int]
    DRIVE_ID_FIELD_NUMBER: _ClassVar[int]
    register_number: str
    state: RecordingState
    resident: Resident
    office_code: str
    captured_at: _timestamp_pb2.Timestamp
    review_flags: _containers.RepeatedScalarFieldContainer[str]
    duplicate_of: str
    face_photo: bytes
    signature: bytes
    recording_type: RecordingType
    previous_register_number: str
    failure_reason: str
    hold_until: str
    drive_id: int
    def __init__(self, register_number: _Optional[str] = ..., state: _Optional[_Union[RecordingState, str]] = ..., resident: _Optional[_Union[Resident, _Mapping]] = ..., office_code: _Optional[str] = ..., captured_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., review_flags: _Optional[_Iterable[str]] = ..., duplicate_of: _Optional[str] = ..., face_photo: _Optional[bytes] = ..., signature: _Optional[bytes] = ..., recording_type: _Optional[_Union[RecordingType, str]] = ..., previous_register_number: _Optional[str] = ..., failure_reason: _Optional[str] = ..., hold_until: _Optional[str] = ..., drive_id: _Optional[int] = ...) -> None: ...

class RecordResidentRequest(_message.Message):
    __slots__ = ("resident", "office_code", "biometrics", "request_id", "recording_type", "drive_id")
    RESIDENT_FIELD_NUMBER: _ClassVar[int]
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    BIOMETRICS_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    RECORDING_TYPE_FIELD_NUMBER: _ClassVar[int]
    DRIVE_ID_FIELD_NUMBER: _ClassVar[int]
    resident: Resident
    office_code: str
    biometrics: BiometricCapture
    request_id: str
    recording_type: RecordingType
    drive_id: int
    def __init__(self, resident: _Optional[_Union[Resident, _Mapping]] = ..., office_code: _Optional[str] = ..., biometrics: _Optional[_Union[BiometricCapture, _Mapping]] = ..., request_id: _Optional[str] = ..., recording_type: _Optional[_Union[RecordingType, str]] = ..., drive_id: _Optional[int] = ...) -> None: ...

class RecordResidentResponse(_message.Message):
    __slots__ = ("recording",)
    RECORDING_FIELD_NUMBER: _ClassVar[int]
    recording: Recording
    def __init__(self, recording: _Optional[_Union[Recording, _Mapping]] = ...) -> None: ...

class GetRecordingRequest(_message.Message):
    __slots__ = ("register_number",)
    REGISTER_NUMBER_FIELD_NUMBER: _ClassVar[int]
    register_number: str
    def __init__(self, register_number: _Optional[str] = ...) -> None: ...

class GetRecordingResponse(_message.Message):
    __slots__ = ("recording",)
    RECORDING_FIELD_NUMBER: _ClassVar[int]
    recording: Recording
    def __init__(self, recording: _Optional[_Union[Recording, _Mapping]] = ...) -> None: ...

class Region(_message.Message):
    __slots__ = ("code", "name", "level", "parent_code", "is_kelurahan", "historic")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    PARENT_CODE_FIELD_NUMBER: _ClassVar[int]
    IS_KELURAHAN_FIELD_NUMBER: _ClassVar[int]
    HISTORIC_FIELD_NUMBER: _ClassVar[int]
    code: str
    name: str
    level: RegionLevel
    parent_code: str
    is_kelurahan: bool
    historic: bool
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ..., level: _Optional[_Union[RegionLevel, str]] = ..., parent_code: _Optional[str] = ..., is_kelurahan: _Optional[bool] = ..., historic: _Optional[bool] = ...) -> None: ...

class GetRegionRequest(_message.Message):
    __slots__ = ("code",)
    CODE_FIELD_NUMBER: _ClassVar[int]
    code: str
    def __init__(self, code: _Optional[str] = ...) -> None: ...

class GetRegionResponse(_message.Message):
    __slots__ = ("region",)
    REGION_FIELD_NUMBER: _ClassVar[int]
    region: Region
    def __init__(self, region: _Optional[_Union[Region, _Mapping]] = ...) -> None: ...

class ListRegionsRequest(_message.Message):
    __slots__ = ("parent_code",)
    PARENT_CODE_FIELD_NUMBER: _ClassVar[int]
    parent_code: str
    def __init__(self, parent_code: _Optional[str] = ...) -> None: ...

class ListRegionsResponse(_message.Message):
    __slots__ = ("regions",)
    REGIONS_FIELD_NUMBER: _ClassVar[int]
    regions: _containers.RepeatedCompositeFieldContainer[Region]
    def __init__(self, regions: _Optional[_Iterable[_Union[Region, _Mapping]]] = ...) -> None: ...

class Target(_message.Message):
    __slots__ = ("region_code", "region_name", "wajib_ktp")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    REGION_NAME_FIELD_NUMBER: _ClassVar[int]
    WAJIB_KTP_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    region_name: str
    wajib_ktp: int
    def __init__(self, region_code: _Optional[str] = ..., region_name: _Optional[str] = ..., wajib_ktp: _Optional[int] = ...) -> None: ...

class ListTargetsRequest(_message.Message):
    __slots__ = ("parent_code",)
    PARENT_CODE_FIELD_NUMBER: _ClassVar[int]
    parent_code: str
    def __init__(self, parent_code: _Optional[str] = ...) -> None: ...

class ListTargetsResponse(_message.Message):
    __slots__ = ("targets",)
    TARGETS_FIELD_NUMBER: _ClassVar[int]
    targets: _containers.RepeatedCompositeFieldContainer[Target]
    def __init__(self, targets: _Optional[_Iterable[_Union[Target, _Mapping]]] = ...) -> None: ...

class SyncRecordingsRequest(_message.Message):
    __slots__ = ("device_id", "local_id", "recording")
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    LOCAL_ID_FIELD_NUMBER: _ClassVar[int]
    RECORDING_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    local_id: str
    recording: RecordResidentRequest
    def __init__(self, device_id: _Optional[str] = ..., local_id: _Optional[str] = ..., recording: _Optional[_Union[RecordResidentRequest, _Mapping]] = ...) -> None: ...

class SyncViolation(_message.Message):
    __slots__ = ("field", "description")
    FIELD_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    field: str
    description: str
    def __init__(self, field: _Optional[str] = ..., description: _Optional[str] = ...) -> None: ...

class SyncRecordingsResponse(_message.Message):
    __slots__ = ("local_id", "outcome", "register_number", "state", "duplicate_of", "violations", "message", "replayed")
    LOCAL_ID_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    REGISTER_NUMBER_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_OF_FIELD_NUMBER: _ClassVar[int]
    VIOLATIONS_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    REPLAYED_FIELD_NUMBER: _ClassVar[int]
    local_id: str
    outcome: SyncOutcome
    register_number: str
    state: RecordingState
    duplicate_of: str
    violations: _containers.RepeatedCompositeFieldContainer[SyncViolation]
    message: str
    replayed: bool
    def __init__(self, local_id: _Optional[str] = ..., outcome: _Optional[_Union[SyncOutcome, str]] = ..., register_number: _Optional[str] = ..., state: _Optional[_Union[RecordingState, str]] = ..., duplicate_of: _Optional[str] = ..., violations: _Optional[_Iterable[_Union[SyncViolation, _Mapping]]] = ..., message: _Optional[str] = ..., replayed: _Optional[bool] = ...) -> None: ...

class LoginRequest(_message.Message):
    __slots__ = ("username", "password")
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    username: str
    password: str
    def __init__(self, username: _Optional[str] = ..., password: _Optional[str] = ...) -> None: ...

class LoginResponse(_message.Message):
    __slots__ = ("token", "username", "role", "scope", "expires_in_seconds")
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_IN_SECONDS_FIELD_NUMBER: _ClassVar[int]
    token: str
    username: str
    role: str
    scope: str
    expires_in_seconds: int
    def __init__(self, token: _Optional[str] = ..., username: _Optional[str] = ..., role: _Optional[str] = ..., scope: _Optional[str] = ..., expires_in_seconds: _Optional[int] = ...) -> None: ...

class FieldComparison(_message.Message):
    __slots__ = ("field", "similarity", "compared")
    FIELD_FIELD_NUMBER: _ClassVar[int]
    SIMILARITY_FIELD_NUMBER: _ClassVar[int]
    COMPARED_FIELD_NUMBER: _ClassVar[int]
    field: str
    similarity: float
    compared: bool
    def __init__(self, field: _Optional[str] = ..., similarity: _Optional[float] = ..., compared: _Optional[bool] = ...) -> None: ...

class Adjudication(_message.Message):
    __slots__ = ("register_number", "candidate_register_number", "reasons", "score", "region_code", "office_code", "opened_at", "resolved_at", "decision", "resolver", "note", "comparison")
    REGISTER_NUMBER_FIELD_NUMBER: _ClassVar[int]
    CANDIDATE_REGISTER_NUMBER_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    OPENED_AT_FIELD_NUMBER: _ClassVar[int]
    RESOLVED_AT_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    RESOLVER_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    COMPARISON_FIELD_NUMBER: _ClassVar[int]
    register_number: str
    candidate_register_number: str
    reasons: _containers.RepeatedScalarFieldContainer[str]
    score: float
    region_code: str
    office_code: str
    opened_at: _timestamp_pb2.Timestamp
    resolved_at: _timestamp_pb2.Timestamp
    decision: AdjudicationDecision
    resolver: str
    note: str
    comparison: _containers.RepeatedCompositeFieldContainer[FieldComparison]
    def __init__(self, register_number: _Optional[str] = ..., candidate_register_number: _Optional[str] = ..., reasons: _Optional[_Iterable[str]] = ..., score: _Optional[float] = ..., region_code: _Optional[str] = ..., office_code: _Optional[str] = ..., opened_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., resolved_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., decision: _Optional[_Union[AdjudicationDecision, str]] = ..., resolver: _Optional[str] = ..., note: _Optional[str] = ..., comparison: _Optional[_Iterable[_Union[FieldComparison, _Mapping]]] = ...) -> None: ...

class ListAdjudicationsRequest(_message.Message):
    __slots__ = ("region_code", "include_resolved", "limit")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_RESOLVED_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    include_resolved: bool
    limit: int
    def __init__(self, region_code: _Optional[str] = ..., include_resolved: _Optional[bool] = ..., limit: _Optional[int] = ...) -> None: ...

class ListAdjudicationsResponse(_message.Message):
    __slots__ = ("adjudications",)
    ADJUDICATIONS_FIELD_NUMBER: _ClassVar[int]
    adjudications: _containers.RepeatedCompositeFieldContainer[Adjudication]
    def __init__(self, adjudications: _Optional[_Iterable[_Union[Adjudication, _Mapping]]] = ...) -> None: ...

class ResolveDuplicateRequest(_message.Message):
    __slots__ = ("register_number", "decision", "note")
    REGISTER_NUMBER_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    register_number: str
    decision: AdjudicationDecision
    note: str
    def __init__(self, register_number: _Optional[str] = ..., decision: _Optional[_Union[AdjudicationDecision, str]] = ..., note: _Optional[str] = ...) -> None: ...

class ResolveDuplicateResponse(_message.Message):
    __slots__ = ("adjudication", "recording")
    ADJUDICATION_FIELD_NUMBER: _ClassVar[int]
    RECORDING_FIELD_NUMBER: _ClassVar[int]
    adjudication: Adjudication
    recording: Recording
    def __init__(self, adjudication: _Optional[_Union[Adjudication, _Mapping]] = ..., recording: _Optional[_Union[Recording, _Mapping]] = ...) -> None: ...

class DriveReconciliation(_message.Message):
    __slots__ = ("planned", "recorded", "failed", "duplicates")
    PLANNED_FIELD_NUMBER: _ClassVar[int]
    RECORDED_FIELD_NUMBER: _ClassVar[int]
    FAILED_FIELD_NUMBER: _ClassVar[int]
    DUPLICATES_FIELD_NUMBER: _ClassVar[int]
    planned: int
    recorded: int
    failed: int
    duplicates: int
    def __init__(self, planned: _Optional[int] = ..., recorded: _Optional[int] = ..., failed: _Optional[int] = ..., duplicates: _Optional[int] = ...) -> None: ...

class DriveVillage(_message.Message):
    __slots__ = ("region_code", "region_name", "planned", "reconciliation")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    REGION_NAME_FIELD_NUMBER: _ClassVar[int]
    PLANNED_FIELD_NUMBER: _ClassVar[int]
    RECONCILIATION_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    region_name: str
    planned: int
    reconciliation: DriveReconciliation
    def __init__(self, region_code: _Optional[str] = ..., region_name: _Optional[str] = ..., planned: _Optional[int] = ..., reconciliation: _Optional[_Union[DriveReconciliation, _Mapping]] = ...) -> None: ...

class Drive(_message.Message):
    __slots__ = ("id", "office_code", "state", "planned_for", "villages", "team", "devices", "planned_by", "planned_at", "opened_at", "closed_at", "closed_by", "reconciliation")
    ID_FIELD_NUMBER: _ClassVar[int]
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    PLANNED_FOR_FIELD_NUMBER: _ClassVar[int]
    VILLAGES_FIELD_NUMBER: _ClassVar[int]
    TEAM_FIELD_NUMBER: _ClassVar[int]
    DEVICES_FIELD_NUMBER: _ClassVar[int]
    PLANNED_BY_FIELD_NUMBER: _ClassVar[int]
    PLANNED_AT_FIELD_NUMBER: _ClassVar[int]
    OPENED_AT_FIELD_NUMBER: _ClassVar[int]
    CLOSED_AT_FIELD_NUMBER: _ClassVar[int]
    CLOSED_BY_FIELD_NUMBER: _ClassVar[int]
    RECONCILIATION_FIELD_NUMBER: _ClassVar[int]
    id: int
    office_code: str
    state: DriveState
    planned_for: str
    villages: _containers.RepeatedCompositeFieldContainer[DriveVillage]
    team: _containers.RepeatedScalarFieldContainer[str]
    devices: _containers.RepeatedScalarFieldContainer[str]
    planned_by: str
    planned_at: _timestamp_pb2.Timestamp
    opened_at: _timestamp_pb2.Timestamp
    closed_at: _timestamp_pb2.Timestamp
    closed_by: str
    reconciliation: DriveReconciliation
    def __init__(self, id: _Optional[int] = ..., office_code: _Optional[str] = ..., state: _Optional[_Union[DriveState, str]] = ..., planned_for: _Optional[str] = ..., villages: _Optional[_Iterable[_Union[DriveVillage, _Mapping]]] = ..., team: _Optional[_Iterable[str]] = ..., devices: _Optional[_Iterable[str]] = ..., planned_by: _Optional[str] = ..., planned_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., opened_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., closed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., closed_by: _Optional[str] = ..., reconciliation: _Optional[_Union[DriveReconciliation, _Mapping]] = ...) -> None: ...

class PlanDriveRequest(_message.Message):
    __slots__ = ("office_code", "village_codes", "planned_for", "team", "devices")
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    VILLAGE_CODES_FIELD_NUMBER: _ClassVar[int]
    PLANNED_FOR_FIELD_NUMBER: _ClassVar[int]
    TEAM_FIELD_NUMBER: _ClassVar[int]
    DEVICES_FIELD_NUMBER: _ClassVar[int]
    office_code: str
    village_codes: _containers.RepeatedScalarFieldContainer[str]
    planned_for: str
    team: _containers.RepeatedScalarFieldContainer[str]
    devices: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, office_code: _Optional[str] = ..., village_codes: _Optional[_Iterable[str]] = ..., planned_for: _Optional[str] = ..., team: _Optional[_Iterable[str]] = ..., devices: _Optional[_Iterable[str]] = ...) -> None: ...

class PlanDriveResponse(_message.Message):
    __slots__ = ("drive",)
    DRIVE_FIELD_NUMBER: _ClassVar[int]
    drive: Drive
    def __init__(self, drive: _Optional[_Union[Drive, _Mapping]] = ...) -> None: ...

class GetDriveRequest(_message.Message):
    __slots__ = ("drive_id",)
    DRIVE_ID_FIELD_NUMBER: _ClassVar[int]
    drive_id: int
    def __init__(self, drive_id: _Optional[int] = ...) -> None: ...

class GetDriveResponse(_message.Message):
    __slots__ = ("drive",)
    DRIVE_FIELD_NUMBER: _ClassVar[int]
    drive: Drive
    def __init__(self, drive: _Optional[_Union[Drive, _Mapping]] = ...) -> None: ...

class ListDrivesRequest(_message.Message):
    __slots__ = ("office_code", "state")
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    office_code: str
    state: DriveState
    def __init__(self, office_code: _Optional[str] = ..., state: _Optional[_Union[DriveState, str]] = ...) -> None: ...

class ListDrivesResponse(_message.Message):
    __slots__ = ("drives",)
    DRIVES_FIELD_NUMBER: _ClassVar[int]
    drives: _containers.RepeatedCompositeFieldContainer[Drive]
    def __init__(self, drives: _Optional[_Iterable[_Union[Drive, _Mapping]]] = ...) -> None: ...

class OpenDriveRequest(_message.Message):
    __slots__ = ("drive_id",)
    DRIVE_ID_FIELD_NUMBER: _ClassVar[int]
    drive_id: int
    def __init__(self, drive_id: _Optional[int] = ...) -> None: ...

class OpenDriveResponse(_message.Message):
    __slots__ = ("drive",)
    DRIVE_FIELD_NUMBER: _ClassVar[int]
    drive: Drive
    def __init__(self, drive: _Optional[_Union[Drive, _Mapping]] = ...) -> None: ...

class CloseDriveRequest(_message.Message):
    __slots__ = ("drive_id",)
    DRIVE_ID_FIELD_NUMBER: _ClassVar[int]
    drive_id: int
    def __init__(self, drive_id: _Optional[int] = ...) -> None: ...

class CloseDriveResponse(_message.Message):
    __slots__ = ("drive",)
    DRIVE_FIELD_NUMBER: _ClassVar[int]
    drive: Drive
    def __init__(self, drive: _Optional[_Union[Drive, _Mapping]] = ...) -> None: ...

class RecordingCaptured(_message.Message):
    __slots__ = ("register_number", "office_code", "region_code", "captured_at", "voter_eligible_on", "drive_id")
    REGISTER_NUMBER_FIELD_NUMBER: _ClassVar[int]
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    CAPTURED_AT_FIELD_NUMBER: _ClassVar[int]
    VOTER_ELIGIBLE_ON_FIELD_NUMBER: _ClassVar[int]
    DRIVE_ID_FIELD_NUMBER: _ClassVar[int]
    register_number: str
    office_code: str
    region_code: str
    captured_at: _timestamp_pb2.Timestamp
    voter_eligible_on: str
    drive_id: int
    def __init__(self, register_number: _Optional[str] = ..., office_code: _Optional[str] = ..., region_code: _Optional[str] = ..., captured_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., voter_eligible_on: _Optional[str] = ..., drive_id: _Optional[int] = ...) -> None: ...

class RecordingPrintReady(_message.Message):
    __slots__ = ("register_number", "office_code", "region_code")
    REGISTER_NUMBER_FIELD_NUMBER: _ClassVar[int]
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    register_number: str
    office_code: str
    region_code: str
    def __init__(self, register_number: _Optional[str] = ..., office_code: _Optional[str] = ..., region_code: _Optional[str] = ...) -> None: ...

class RecordingDuplicate(_message.Message):
    __slots__ = ("register_number", "office_code", "region_code", "duplicate_of")
    REGISTER_NUMBER_FIELD_NUMBER: _ClassVar[int]
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_OF_FIELD_NUMBER: _ClassVar[int]
    register_number: str
    office_code: str
    region_code: str
    duplicate_of: str
    def __init__(self, register_number: _Optional[str] = ..., office_code: _Optional[str] = ..., region_code: _Optional[str] = ..., duplicate_of: _Optional[str] = ...) -> None: ...

class TargetChanged(_message.Message):
    __slots__ = ("region_code", "region_name", "wajib_ktp")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    REGION_NAME_FIELD_NUMBER: _ClassVar[int]
    WAJIB_KTP_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    region_name: str
    wajib_ktp: int
    def __init__(self, region_code: _Optional[str] = ..., region_name: _Optional[str] = ..., wajib_ktp: _Optional[int] = ...) -> None: ...

class RecordingFailed(_message.Message):
    __slots__ = ("register_number", "office_code", "region_code", "reason_code")
    REGISTER_NUMBER_FIELD_NUMBER: _ClassVar[int]
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    REASON_CODE_FIELD_NUMBER: _ClassVar[int]
    register_number: str
    office_code: str
    region_code: str
    reason_code: str
    def __init__(self, register_number: _Optional[str] = ..., office_code: _Optional[str] = ..., region_code: _Optional[str] = ..., reason_code: _Optional[str] = ...) -> None: ...

class ResidentChanged(_message.Message):
    __slots__ = ("register_number", "office_code", "region_code", "previous_register_number", "recording_type", "previous_region_code", "changed_fields")
    REGISTER_NUMBER_FIELD_NUMBER: _ClassVar[int]
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_REGISTER_NUMBER_FIELD_NUMBER: _ClassVar[int]
    RECORDING_TYPE_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    register_number: str
    office_code: str
    region_code: str
    previous_register_number: str
    recording_type: RecordingType
    previous_region_code: str
    changed_fields: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, register_number: _Optional[str] = ..., office_code: _Optional[str] = ..., region_code: _Optional[str] = ..., previous_register_number: _Optional[str] = ..., recording_type: _Optional[_Union[RecordingType, str]] = ..., previous_region_code: _Optional[str] = ..., changed_fields: _Optional[_Iterable[str]] = ...) -> None: ...

class AdjudicationResolved(_message.Message):
    __slots__ = ("register_number", "office_code", "region_code", "decision")
    REGISTER_NUMBER_FIELD_NUMBER: _ClassVar[int]
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    register_number: str
    office_code: str
    region_code: str
    decision: AdjudicationDecision
    def __init__(self, register_number: _Optional[str] = ..., office_code: _Optional[str] = ..., region_code: _Optional[str] = ..., decision: _Optional[_Union[AdjudicationDecision, str]] = ...) -> None: ...

class RegionsImported(_message.Message):
    __slots__ = ("inserted", "renamed", "unchanged", "retired", "reinstated", "total")
    INSERTED_FIELD_NUMBER: _ClassVar[int]
    RENAMED_FIELD_NUMBER: _ClassVar[int]
    UNCHANGED_FIELD_NUMBER: _ClassVar[int]
    RETIRED_FIELD_NUMBER: _ClassVar[int]
    REINSTATED_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    inserted: int
    renamed: int
    unchanged: int
    retired: int
    reinstated: int
    total: int
    def __init__(self, inserted: _Optional[int] = ..., renamed: _Optional[int] = ..., unchanged: _Optional[int] = ..., retired: _Optional[int] = ..., reinstated: _Optional[int] = ..., total: _Optional[int] = ...) -> None: ...

class DriveClosed(_message.Message):
    __slots__ = ("drive_id", "office_code", "village_codes", "planned_for", "reconciliation")
    DRIVE_ID_FIELD_NUMBER: _ClassVar[int]
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    VILLAGE_CODES_FIELD_NUMBER: _ClassVar[int]
    PLANNED_FOR_FIELD_NUMBER: _ClassVar[int]
    RECONCILIATION_FIELD_NUMBER: _ClassVar[int]
    drive_id: int
    office_code: str
    village_codes: _containers.RepeatedScalarFieldContainer[str]
    planned_for: str
    reconciliation: DriveReconciliation
    def __init__(self, drive_id: _Optional[int] = ..., office_code: _Optional[str] = ..., village_codes: _Optional[_Iterable[str]] = ..., planned_for: _Optional[str] = ..., reconciliation: _Optional[_Union[DriveReconciliation, _Mapping]] = ...) -> None: ...
