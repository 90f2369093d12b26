"""Calls to enrolment and inventory: deadlines, pb -> domain mapping, errors -> local exceptions.

A `grpc.RpcError` never leaves this module (except the raw event stream, which
servicekit.feeds.FeedConsumer handles itself).
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

import grpc

from documents.distribution import Region, StockState
from documents.domain import (
    Citizenship,
    MaritalStatus,
    Recording,
    RecordingType,
    RegionNames,
    Religion,
    Resident,
    Sex,
)
from documents.errors import OutOfStock, UpstreamError
from ektp.enrolment.v1 import enrolment_pb2, enrolment_pb2_grpc
from ektp.events.v1 import events_pb2
from ektp.inventory.v1 import inventory_pb2, inventory_pb2_grpc
from servicekit.clients import DEFAULT_DEADLINE, translate

log = logging.getLogger(__name__)

OUT_OF_STOCK = "OUT_OF_STOCK"

_SEX = {enrolment_pb2.SEX_MALE: Sex.MALE, enrolment_pb2.SEX_FEMALE: Sex.FEMALE}
_RELIGION = {getattr(enrolment_pb2, f"RELIGION_{r.name}"): r for r in Religion if r is not Religion.UNKNOWN}
_MARITAL = {getattr(enrolment_pb2, f"MARITAL_STATUS_{m.name}"): m
            for m in MaritalStatus if m is not MaritalStatus.UNKNOWN}
_RECORDING_TYPE = {getattr(enrolment_pb2, f"RECORDING_TYPE_{t.name}"): t
                   for t in RecordingType if t is not RecordingType.UNKNOWN}
_CITIZENSHIP = {enrolment_pb2.CITIZENSHIP_WNI: Citizenship.WNI, enrolment_pb2.CITIZENSHIP_WNA: Citizenship.WNA}


def _call(method: Callable, request: object, what: str, deadline: float) -> object:
    try:
        return method(request, timeout=deadline)
    except grpc.RpcError as err:
        error = translate(err)
        code = err.code().name if hasattr(err, "code") and err.code() else "UNKNOWN"
        if code == "FAILED_PRECONDITION" and error.reason == OUT_OF_STOCK:
            raise OutOfStock(f"{what}: no blank in stock") from err
        raise UpstreamError(f"{what} failed with {code}: {error.message}", code=code,
                            reason=error.reason) from err


class EnrolmentClient:
    def __init__(self, channel: grpc.Channel, deadline: float = DEFAULT_DEADLINE) -> None:
        self._stub = enrolment_pb2_grpc.EnrolmentServiceStub(channel)
        self._deadline = deadline
        self._region_names: dict[str, str] = {}  # master data, rarely changes

    def get_recording(self, register_number: str) -> Recording:
        response = _call(self._stub.GetRecording,
                         enrolment_pb2.GetRecordingRequest(register_number=register_number),
                         "enrolment.GetRecording", self._deadline)
        return self._recording(response.recording)

    def open_event_stream(self, request: events_pb2.StreamEventsRequest, timeout: float):
        """The raw StreamEvents call for servicekit.feeds.FeedConsumer."""
        return self._stub.StreamEvents(request, timeout=timeout)

    def _recording(self, pb: enrolment_pb2.Recording) -> Recording:
        r = pb.resident
        try:
            birth_date = dt.date.fromisoformat(r.birth_date)
        except ValueError:
            raise UpstreamError("enrolment.GetRecording returned a malformed birth date",
                                code="INTERNAL") from None
        resident = Resident(
            nik=r.nik, full_name=r.full_name, birth_place=r.birth_place, birth_date=birth_date,
            sex=_SEX.get(r.sex, Sex.UNKNOWN), blood_type=r.blood_type, address=r.address, rt=r.rt, rw=r.rw,
            region_code=r.region_code, religion=_RELIGION.get(r.religion, Religion.UNKNOWN),
            marital_status=_MARITAL.get(r.marital_status, MaritalStatus.UNKNOWN), occupation=r.occupation,
            citizenship=_CITIZENSHIP.get(r.citizenship, Citizenship.UNKNOWN))
        return Recording(register_number=pb.register_number, office_code=pb.office_code,
                         print_ready=pb.state == enrolment_pb2.RECORDING_STATE_PRINT_READY,
                         resident=resident, regions=self.region_names(r.region_code),
                         office_name=self._region_name(pb.office_code),
                         face_photo=pb.face_photo, signature=pb.signature,
                         recording_type=_RECORDING_TYPE.get(pb.recording_type, RecordingType.UNKNOWN))

    def region_names(self, village_code: str) -> RegionNames:
        """Names of the village and its kecamatan, kabupaten and province (from enrolment)."""
        parts = village_code.split(".")
        codes = [".".join(parts[:n]) for n in (1, 2, 3, 4)]
        return RegionNames(*(self._region_name(code) for code in codes))

    def region_name(self, code: str) -> str:
        """The name of one region (its code when enrolment does not know it)."""
        return self._region_name(code)

    def list_regions(self, parent_code: str) -> list[Region]:
        """The current (not historic) regions directly under `parent_code`."""
        response = _call(self._stub.ListRegions, enrolment_pb2.ListRegionsRequest(parent_code=parent_code),
                         "enrolment.ListRegions", self._deadline)
        return [Region(r.code, r.name, r.is_kelurahan) for r in response.regions if not r.historic]

    def _region_name(self, code: str) -> str:
        if code not in self._region_names:
            self._region_names[code] = self._fetch_region_name(code)
        return self._region_names[code]

    def _fetch_region_name(self, code: str) -> str:
        try:
            response = _call(self._stub.GetRegion, enrolment_pb2.GetRegionRequest(code=code),
                             "enrolment.GetRegion", self._deadline)
        except UpstreamError as err:
            if err.code != "NOT_FOUND":
                raise
            log.warning("region %s unknown to enrolment; printing its code", code)
            return code
        return response.region.name


class InventoryClient:
    def __init__(self, channel: grpc.Channel, deadline: float = DEFAULT_DEADLINE) -> None:
        self._stub = inventory_pb2_grpc.InventoryServiceStub(channel)
        self._deadline = deadline

    def reserve_blank(self, office_code: str, key: str) -> str:
        """The reserved card serial; raises OutOfStock when the office has no blank."""
        response = _call(self._stub.ReserveBlank,
                         inventory_pb2.ReserveBlankRequest(office_code=office_code, idempotency_key=key),
                         "inventory.ReserveBlank", self._deadline)
        return response.reservation.serial

    def consume_blank(self, key: str, serial: str) -> None:
        _call(self._stub.ConsumeBlank, inventory_pb2.ConsumeBlankRequest(idempotency_key=key, serial=serial),
              "inventory.ConsumeBlank", self._deadline)

    def spoil_printed_blank(self, key: str, serial: str, cause: str) -> None:
        """The consumed blank of a misprinted card becomes spoiled; idempotent by key."""
        _call(self._stub.SpoilPrintedBlank,
              inventory_pb2.SpoilPrintedBlankRequest(idempotency_key=key, serial=serial, cause=cause),
              "inventory.SpoilPrintedBlank", self._deadline)

    def open_event_stream(self, request: events_pb2.StreamEventsRequest, timeout: float):
        """The raw StreamEvents call for servicekit.feeds.FeedConsumer."""
        return self._stub.StreamEvents(request, timeout=timeout)

    def get_forecast(self, office_code: str) -> StockState:
        """The office's stock and when blanks are expected (inventory's forecast)."""
        response = _call(self._stub.GetForecast, inventory_pb2.GetForecastRequest(office_code=office_code),
                         "inventory.GetForecast", self._deadline)
        f = response.forecast
        try:
            arrival = dt.date.fromisoformat(f.expected_arrival_on) if f.expected_arrival_on else None
        except ValueError:
            raise UpstreamError("inventory.GetForecast returned a malformed arrival date", code="INTERNAL") from None
        return StockState(office_code=f.office_code or office_code, on_hand=f.on_hand, available=f.available,
                          days_of_cover=f.days_of_cover if f.has_days_of_cover else None, level=f.level,
                          expected_arrival_on=arrival, arrival_explanation=f.arrival_explanation)

    def release_blank(self, key: str, reason: str) -> None:
        _call(self._stub.ReleaseBlank, inventory_pb2.ReleaseBlankRequest(idempotency_key=key, reason=reason),
              "inventory.ReleaseBlank", self._deadline)
