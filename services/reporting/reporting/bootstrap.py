"""Composition root: everything one reporting process runs, for `__main__` and the tests.

Security: one `Security` runtime (keys from settings; demo keys under var_dir/keys) gates
gRPC and the pages with reporting.access's table and gives every outgoing channel — the feeds
and the region names — reporting's service identity.
"""
from __future__ import annotations

import functools
import pathlib
from dataclasses import dataclass

from flask import Flask
from sqlalchemy.engine import Engine

from reporting import grpc_server
from reporting.access import GRPC_POLICY, HTTP_POLICY
from reporting.clients import EnrolmentRegions, ProducerFeeds
from reporting.config import Settings
from reporting.events import applier
from reporting.metrics import register_business_metrics
from reporting.service import ReportingService
from reporting.unit_of_work import ReportingUnitOfWork
from reporting.web import create_app
from servicekit import outbox
from servicekit.config import SecuritySettings
from servicekit.db import check_database, create_engine, run_migrations
from servicekit.feeds import FeedConsumer
from servicekit.grpcserver import create_server
from servicekit.metrics import ServiceMetrics
from servicekit.runtime import ReadinessWatcher, ServiceProcess
from servicekit.security import Security
from servicekit.web import HttpServer, show_feed_states

MIGRATIONS = pathlib.Path(__file__).resolve().parent / "migrations"   # shipped inside the package


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    metrics: ServiceMetrics
    security: Security
    service: ReportingService
    consumers: list[FeedConsumer]
    app: Flask
    process: ServiceProcess


def migrate(settings: Settings) -> None:
    """`alembic upgrade head` on the reporting database."""
    run_migrations(settings.database_url, MIGRATIONS)


def build(settings: Settings, *, migrate: bool = True) -> Runtime:
    engine = create_engine(settings.database_url)
    if migrate:
        run_migrations(settings.database_url, MIGRATIONS)
    metrics = ServiceMetrics("reporting")
    security = Security.load("reporting", settings.security or SecuritySettings.demo(settings.var_dir, "reporting"))
    regions = EnrolmentRegions(settings.enrolment_grpc_target, open_channel=security.channel)
    service = ReportingService(functools.partial(ReportingUnitOfWork, engine), regions)
    register_business_metrics(metrics.registry, service.kabupaten_coverage, service.kabupaten_suket_expiring)

    feeds = ProducerFeeds(settings.feed_targets, open_channel=security.channel)
    consumers = [FeedConsumer(feed=feed, open_stream=feeds.opener(feed), apply=applier(service, feed),
                              read_cursor=functools.partial(outbox.read_cursor, engine, feed),
                              metrics=metrics, stream_seconds=settings.stream_seconds)
                 for feed in feeds.names]

    ready = functools.partial(check_database, engine)
    grpc = create_server(address=f"{settings.host}:{settings.grpc_port}", context_name="reporting",
                         register=grpc_server.register(service), service_names=[grpc_server.SERVICE_NAME],
                         metrics=metrics, reflection_on=settings.reflection,
                         gate=security.grpc_gate(GRPC_POLICY, [grpc_server.SERVICE_NAME]),
                         tls=security.settings.tls,
                         health_address=f"{settings.host}:{settings.health_port}" if settings.health_port else None)
    app = create_app(service=service, metrics=metrics, ready_check=ready, gate=security.web_gate(HTTP_POLICY))
    show_feed_states(app, consumers)   # a banner on every page while a feed is failing
    http = HttpServer(app, settings.host, settings.http_port,
                        trusted_proxy_count=security.settings.trusted_proxy_count)
    process = ServiceProcess(
        name="reporting", grpc_server=grpc, http_server=http,
        readiness=ReadinessWatcher(grpc, ready, metrics, interval=settings.readiness_seconds),
        workers=list(consumers), on_stop=[feeds.close, regions.close, engine.dispose])
    return Runtime(settings, engine, metrics, security, service, consumers, app, process)
