"""Composition root: builds the inventory service for the entrypoint and the tests."""
from __future__ import annotations

import datetime as dt
import functools
import pathlib
from dataclasses import dataclass

from flask import Flask
from sqlalchemy.engine import Engine

from inventory import db, grpc_server, web
from inventory.access import GRPC_POLICY, HTTP_POLICY
from inventory.config import Settings
from inventory.events import encode_event
from inventory.expiry import ReservationSweeper
from inventory.metrics import InventoryMetrics
from inventory.service import InventoryService
from inventory.unit_of_work import InventoryUnitOfWork
from servicekit.access import Principal
from servicekit.config import SecuritySettings
from servicekit.db import check_database, create_engine, run_migrations
from servicekit.feeds import OutboxFeed
from servicekit.grpcserver import create_server
from servicekit.metrics import ServiceMetrics
from servicekit.runtime import ReadinessWatcher, ServiceProcess
from servicekit.security import Security
from servicekit.web import HttpServer

CONTEXT = "inventory"
MIGRATIONS = pathlib.Path(__file__).resolve().parent / "migrations"   # shipped inside the package


@dataclass
class Core:
    """Everything but the servers: enough for the `demo` command and for service tests."""

    settings: Settings
    engine: Engine
    metrics: ServiceMetrics
    inventory_metrics: InventoryMetrics
    feed: OutboxFeed
    service: InventoryService

    def close(self) -> None:
        self.feed.close()
        self.engine.dispose()


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    metrics: ServiceMetrics
    feed: OutboxFeed
    service: InventoryService
    security: Security
    app: Flask
    process: ServiceProcess


def migrate(settings: Settings) -> None:
    run_migrations(settings.database_url, MIGRATIONS)


def build_core(settings: Settings, *, migrate: bool = True) -> Core:
    if migrate:
        run_migrations(settings.database_url, MIGRATIONS)
    engine = create_engine(settings.database_url)
    metrics = ServiceMetrics(CONTEXT)
    inventory_metrics = InventoryMetrics(metrics.registry)
    feed = OutboxFeed(engine, metrics)
    uow_factory = functools.partial(InventoryUnitOfWork, engine, encode_event=encode_event,
                                    after_commit=feed.notify, audit_log=db.audit_log)
    service = InventoryService(uow_factory, inventory_metrics, thresholds=settings.thresholds,
                               reservation_ttl=dt.timedelta(minutes=settings.reservation_minutes))
    # The scrape reads every office's stock as the service itself (counts only, no personal data).
    scraper = Principal.service(CONTEXT, origin="metrics")
    inventory_metrics.watch_available(lambda: service.stock_overview(scraper, settings.offices))
    inventory_metrics.watch_forecasts(lambda: service.forecasts(scraper, settings.offices))
    return Core(settings, engine, metrics, inventory_metrics, feed, service)


def build(settings: Settings, *, migrate: bool = True) -> Runtime:
    core = build_core(settings, migrate=migrate)
    security = Security.load(CONTEXT, settings.security or SecuritySettings.demo(settings.var_dir, CONTEXT))
    grpc = create_server(
        address=f"{settings.host}:{settings.grpc_port}", context_name=CONTEXT,
        register=lambda server: grpc_server.register(server, core.service, core.feed),
        service_names=[grpc_server.SERVICE_NAME], metrics=core.metrics, reflection_on=settings.reflection,
        gate=security.grpc_gate(GRPC_POLICY, [grpc_server.SERVICE_NAME]), tls=security.settings.tls,
        health_address=f"{settings.host}:{settings.health_port}" if settings.health_port else None)
    ready = functools.partial(check_database, core.engine)
    app = web.create_app(service=core.service, metrics=core.metrics, ready_check=ready,
                         gate=security.web_gate(HTTP_POLICY), offices=settings.offices)
    process = ServiceProcess(
        name=CONTEXT, grpc_server=grpc, http_server=HttpServer(app, settings.host, settings.http_port,
                        trusted_proxy_count=security.settings.trusted_proxy_count),
        readiness=ReadinessWatcher(grpc, ready, core.metrics), on_stop=[core.close],
        workers=[ReservationSweeper(functools.partial(core.service.expire_reservations,
                                                      Principal.service(CONTEXT, origin="expiry")),
                                    interval=settings.reservation_sweep_seconds)])
    return Runtime(settings, core.engine, core.metrics, core.feed, core.service, security, app, process)

