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

class RegionLevel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REGION_LEVEL_UNSPECIFIED: _ClassVar[RegionLevel]
    REGION_LEVEL_PROVINCE: _ClassVar[RegionLevel]
    REGION_LEVEL_REGENCY: _ClassVar[RegionLevel]
    REGION_LEVEL_DISTRICT: _ClassVar[RegionLevel]
    REGION_LEVEL_VILLAGE: _ClassVar[RegionLevel]
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
REGION_LEVEL_UNSPECIFIED: RegionLevel
REGION_LEVEL_PROVINCE: RegionLevel
REGION_LEVEL_REGENCY: RegionLevel
REGION_LEVEL_DISTRICT: RegionLevel
REGION_LEVEL_VILLAGE: RegionLevel

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
    __slots__ = ("modality", "quality")
    MODALITY_FIELD_NUMBER: _ClassVar[int]
    QUALITY_FIELD_NUMBER: _ClassVar[int]
    modality: Modality
    quality: int
    def __init__(self, modality: _Optional[_Union[Modality, str]] = ..., quality: _Optional[int] = ...) -> None: ...

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
    __slots__ = ("register_number", "state", "resident", "office_code", "captured_at", "review_flags", "duplicate_of", "face_photo", "signature")
    REGISTER_NUMBER_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    RESIDENT_FIELD_NUMBER: _ClassVar[int]
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    CAPTURED_AT_FIELD_NUMBER: _ClassVar[int]
    REVIEW_FLAGS_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_OF_FIELD_NUMBER: _ClassVar[int]
    FACE_PHOTO_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    register_number: str
    state: RecordingState
    resident: Resident
    office_code: str
    captured_at: _timestamp_pb2.Timestamp
    review_flags: _containers.RepeatedScalarFieldContainer[str]
    duplicate_of: str
    face_photo: bytes
    signature: bytes
    def __init__(self, register_number: _Optional[str] = ..., state: _Optional[_Union[RecordingState, str]] = ..., resident: _Optional[_Union[Resident, _Mapping]] = ..., office_code: _Optional[str] = ..., captured_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., review_flags: _Optional[_Iterable[str]] = ..., duplicate_of: _Optional[str] = ..., face_photo: _Optional[bytes] = ..., signature: _Optional[bytes] = ...) -> None: ...

class RecordResidentRequest(_message.Message):
    __slots__ = ("resident", "office_code", "biometrics", "request_id")
    RESIDENT_FIELD_NUMBER: _ClassVar[int]
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    BIOMETRICS_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    resident: Resident
    office_code: str
    biometrics: BiometricCapture
    request_id: str
    def __init__(self, resident: _Optional[_Union[Resident, _Mapping]] = ..., office_code: _Optional[str] = ..., biometrics: _Optional[_Union[BiometricCapture, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

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
    __slots__ = ("code", "name", "level", "parent_code", "is_kelurahan")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    PARENT_CODE_FIELD_NUMBER: _ClassVar[int]
    IS_KELURAHAN_FIELD_NUMBER: _ClassVar[int]
    code: str
    name: str
    level: RegionLevel
    parent_code: str
    is_kelurahan: bool
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ..., level: _Optional[_Union[RegionLevel, str]] = ..., parent_code: _Optional[str] = ..., is_kelurahan: _Optional[bool] = ...) -> None: ...

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

class RecordingCaptured(_message.Message):
    __slots__ = ("register_number", "office_code", "region_code", "captured_at")
    REGISTER_NUMBER_FIELD_NUMBER: _ClassVar[int]
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    CAPTURED_AT_FIELD_NUMBER: _ClassVar[int]
    register_number: str
    office_code: str
    region_code: str
    captured_at: _timestamp_pb2.Timestamp
    def __init__(self, register_number: _Optional[str] = ..., office_code: _Optional[str] = ..., region_code: _Optional[str] = ..., captured_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

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
