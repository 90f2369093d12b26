"""Composition root: wires engine, metrics, feed, units of work, service, gRPC and HTTP."""
from __future__ import annotations

import pathlib
from dataclasses import dataclass

from argon2 import PasswordHasher
from flask import Flask
from sqlalchemy.engine import Engine

from enrolment.access import GRPC_POLICY, HTTP_POLICY
from enrolment.accounts import AccountService
from enrolment.config import Settings
from enrolment.grpc_server import SERVICE_NAME, EnrolmentServicer, register
from enrolment.metrics import EnrolmentMetrics
from enrolment.personal_data import open_personal_data
from enrolment.release import PreRecordingReleaser
from enrolment.service import Clock, EnrolmentService, utc_now
from enrolment.unit_of_work import unit_of_work_factory
from enrolment.web import create_app
from servicekit.config import SecuritySettings
from servicekit.db import check_database, create_engine, run_migrations
from servicekit.feeds import OutboxFeed
from servicekit.grpcserver import create_server
from servicekit.metrics import ServiceMetrics
from servicekit.runtime import ReadinessWatcher, ServiceProcess
from servicekit.security import Security
from servicekit.web import HttpServer

MIGRATIONS = pathlib.Path(__file__).resolve().parent / "migrations"   # shipped inside the package


def apply_migrations(database_url: str) -> None:
    run_migrations(database_url, MIGRATIONS)


@dataclass
class Core:
    """What the CLI commands need without serving: engine, service and its plumbing."""

    settings: Settings
    engine: Engine
    metrics: ServiceMetrics
    feed: OutboxFeed
    service: EnrolmentService
    security: Security
    accounts: AccountService


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    service: EnrolmentService
    process: ServiceProcess
    feed: OutboxFeed
    metrics: ServiceMetrics
    app: Flask
    security: Security
    accounts: AccountService


def build_core(settings: Settings, *, migrate: bool = True, clock: Clock = utc_now,
               password_hasher: PasswordHasher | None = None) -> Core:
    personal_data = open_personal_data(settings)   # keys first: a missing key fails before anything starts
    if migrate:
        apply_migrations(settings.database_url)
    engine = create_engine(settings.database_url)
    metrics = ServiceMetrics("enrolment")
    feed = OutboxFeed(engine, metrics)
    uow = unit_of_work_factory(engine, after_commit=feed.notify, personal_data=personal_data)
    service = EnrolmentService(uow, metrics=EnrolmentMetrics(metrics.registry), clock=clock,
                               quality_gate=settings.quality_gate,
                               demographic_threshold=settings.demographic_threshold)
    security = Security.load("enrolment", settings.security or SecuritySettings.demo(settings.var_dir, "enrolment"))
    accounts = AccountService(uow, security.issuer, session_hours=security.settings.session_hours,
                              hasher=password_hasher)
    return Core(settings, engine, metrics, feed, service, security, accounts)


def build(settings: Settings, *, migrate: bool = True, clock: Clock = utc_now,
          password_hasher: PasswordHasher | None = None) -> Runtime:
    core = build_core(settings, migrate=migrate, clock=clock, password_hasher=password_hasher)
    engine, metrics, security = core.engine, core.metrics, core.security
    servicer = EnrolmentServicer(core.service, core.feed.stream_events, accounts=core.accounts,
                                 trusted_proxy_count=security.settings.trusted_proxy_count)
    grpc_server = create_server(
        address=f"{settings.host}:{settings.grpc_port}", context_name="enrolment", register=register(servicer),
        service_names=[SERVICE_NAME], metrics=metrics, reflection_on=settings.reflection,
        gate=security.grpc_gate(GRPC_POLICY, [SERVICE_NAME]), tls=security.settings.tls,
        health_address=f"{settings.host}:{settings.health_port}" if settings.health_port else None)

    def ready() -> bool:
        return check_database(engine)

    app = create_app(core.service, core.accounts, metrics=metrics, ready_check=ready,
                     gate=security.web_gate(HTTP_POLICY), default_office=settings.default_office)
    http = HttpServer(app, settings.host, settings.http_port,
                        trusted_proxy_count=security.settings.trusted_proxy_count)
    process = ServiceProcess(
        name="enrolment", grpc_server=grpc_server, http_server=http,
        readiness=ReadinessWatcher(grpc_server, ready, metrics),
        workers=[PreRecordingReleaser(core.service, settings.release_interval_seconds)]
        if settings.release_interval_seconds else [],
        on_stop=[core.feed.close, engine.dispose])
    return Runtime(settings, engine, core.service, process, core.feed, metrics, app, security, core.accounts)
