"""Composition root: wires engine, metrics, feed, units of work, service, gRPC and HTTP."""
from __future__ import annotations

import pathlib
from dataclasses import dataclass

from flask import Flask
from sqlalchemy.engine import Engine

from enrolment.config import Settings
from enrolment.grpc_server import SERVICE_NAME, EnrolmentServicer, register
from enrolment.metrics import EnrolmentMetrics
from enrolment.service import Clock, EnrolmentService, utc_now
from enrolment.unit_of_work import unit_of_work_factory
from enrolment.web import create_app
from servicekit.db import check_database, create_engine, run_migrations
from servicekit.feeds import OutboxFeed
from servicekit.grpcserver import create_server
from servicekit.metrics import ServiceMetrics
from servicekit.runtime import ReadinessWatcher, ServiceProcess
from servicekit.web import HttpServer

MIGRATIONS = pathlib.Path(__file__).resolve().parents[1] / "migrations"


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


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    service: EnrolmentService
    process: ServiceProcess
    feed: OutboxFeed
    metrics: ServiceMetrics
    app: Flask


def build_core(settings: Settings, *, migrate: bool = True, clock: Clock = utc_now) -> Core:
    if migrate:
        apply_migrations(settings.database_url)
    engine = create_engine(settings.database_url)
    metrics = ServiceMetrics("enrolment")
    feed = OutboxFeed(engine, metrics)
    uow = unit_of_work_factory(engine, after_commit=feed.notify)
    service = EnrolmentService(uow, metrics=EnrolmentMetrics(metrics.registry), clock=clock)
    return Core(settings, engine, metrics, feed, service)


def build(settings: Settings, *, migrate: bool = True, clock: Clock = utc_now) -> Runtime:
    core = build_core(settings, migrate=migrate, clock=clock)
    engine, metrics = core.engine, core.metrics
    servicer = EnrolmentServicer(core.service, core.feed.stream_events)
    grpc_server = create_server(
        address=f"{settings.host}:{settings.grpc_port}", context_name="enrolment", register=register(servicer),
        service_names=[SERVICE_NAME], metrics=metrics, reflection_on=settings.reflection)

    def ready() -> bool:
        return check_database(engine)

    app = create_app(core.service, metrics=metrics, ready_check=ready, default_office=settings.default_office)
    http = HttpServer(app, settings.host, settings.http_port)
    process = ServiceProcess(
        name="enrolment", grpc_server=grpc_server, http_server=http,
        readiness=ReadinessWatcher(grpc_server, ready, metrics),
        on_stop=[core.feed.close, engine.dispose])
    return Runtime(settings, engine, core.service, process, core.feed, metrics, app)
