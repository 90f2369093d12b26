"""Composition root: builds the documents process for `__main__` and for the tests."""
from __future__ import annotations

import functools
import pathlib
from dataclasses import dataclass
from types import SimpleNamespace

from flask import Flask
from sqlalchemy.engine import Engine

from documents import events, grpc_server, web
from documents.access import GRPC_POLICY, HTTP_POLICY
from documents.clients import EnrolmentClient, InventoryClient
from documents.config import Settings
from documents.distribution_service import DistributionService
from documents.domain import IssuerPolicy
from documents.expiry import SuketExpiryWorker
from documents.metrics import DocumentsMetrics
from documents.render import PdfRenderer
from documents.render_letters import LetterRenderer
from documents.service import DocumentsService
from documents.signing import load_signer
from documents.store import EncryptedDocumentStore, FileStore
from documents.unit_of_work import unit_of_work_factory
from servicekit import outbox
from servicekit.access import Principal
from servicekit.config import DEFAULT_URLS, SecuritySettings
from servicekit.db import check_database, create_engine, run_migrations
from servicekit.feeds import FeedConsumer, OutboxFeed
from servicekit.fieldcrypto import FieldCipher, Keyring
from servicekit.grpcserver import create_server
from servicekit.metrics import ServiceMetrics
from servicekit.runtime import ReadinessWatcher, ServiceProcess
from servicekit.security import Security
from servicekit.web import HttpServer, show_feed_states

MIGRATIONS = pathlib.Path(__file__).resolve().parent / "migrations"   # shipped inside the package
CONTEXT = "documents"


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    service: DocumentsService
    process: ServiceProcess
    app: Flask
    metrics: ServiceMetrics
    feed: OutboxFeed
    consumer: FeedConsumer
    security: Security
    cipher: FieldCipher
    store: EncryptedDocumentStore
    inventory_consumer: FeedConsumer   # follows inventory: blanks arriving print the queue
    distribution: DistributionService | None = None   # shortage letters and distribution batches


def migrate(settings: Settings) -> None:
    run_migrations(settings.database_url, MIGRATIONS)


def open_cipher(settings: Settings) -> FieldCipher:
    """The cipher of stored PDFs, over the data keys directory (created only in demo mode)."""
    return FieldCipher(Keyring.load(settings.data_keys_path, create=settings.generate_data_keys))


def open_store(settings: Settings, cipher: FieldCipher) -> EncryptedDocumentStore:
    """The document store of every PDF this service keeps, encrypted under the data keys."""
    return EncryptedDocumentStore(FileStore(settings.store_path), cipher)


def build(settings: Settings, *, migrate: bool = True) -> Runtime:
    if migrate:
        run_migrations(settings.database_url, MIGRATIONS)
    security = Security.load(CONTEXT, settings.security or SecuritySettings.demo(settings.var_dir, CONTEXT))
    cipher = open_cipher(settings)
    store = open_store(settings, cipher)
    engine = create_engine(settings.database_url)
    metrics = ServiceMetrics(CONTEXT)
    feed = OutboxFeed(engine, metrics)
    # Calls to enrolment and inventory (and the feed) carry this service's identity.
    enrolment_channel = security.channel(settings.enrolment_target)
    inventory_channel = security.channel(settings.inventory_target)
    enrolment = EnrolmentClient(enrolment_channel, settings.call_deadline)
    inventory = InventoryClient(inventory_channel, settings.call_deadline)
    uow = unit_of_work_factory(engine, cipher, store, after_commit=feed.notify)
    documents_metrics = DocumentsMetrics(metrics)
    service = DocumentsService(
        uow=uow,
        enrolment=enrolment,
        inventory=inventory,
        renderer=PdfRenderer(),
        signer=load_signer(settings.signing_key_path, create=settings.generate_signing_key,
                           retired_dir=settings.retired_keys_path),
        issuers=IssuerPolicy(settings.signatory, dict(settings.issue_places)),
        metrics=documents_metrics, suket_when_out_of_stock=settings.suket_when_out_of_stock,
        print_workers=settings.print_workers)
    distribution = DistributionService(
        uow=uow, enrolment=enrolment, inventory=inventory, renderer=LetterRenderer(),
        issuers=IssuerPolicy(settings.signatory, dict(settings.issue_places)),
        verify_url=security.settings.service_urls.get(CONTEXT, DEFAULT_URLS[CONTEXT]) + "verifikasi",
        metrics=documents_metrics)
    consumer_actor = Principal.service(CONTEXT, origin="consumer")
    consumer = FeedConsumer(
        feed=events.ENROLMENT_FEED,
        open_stream=enrolment.open_event_stream,
        apply=lambda event: service.apply(consumer_actor, events.decode_enrolment(event)),
        read_cursor=lambda: outbox.read_cursor(engine, events.ENROLMENT_FEED),
        metrics=metrics)
    # Blanks arriving at an office (inventory's feed) print its queue.
    inventory_consumer = FeedConsumer(
        feed=events.INVENTORY_FEED,
        open_stream=inventory.open_event_stream,
        apply=lambda event: service.apply(consumer_actor, events.decode_inventory(event)),
        read_cursor=lambda: outbox.read_cursor(engine, events.INVENTORY_FEED),
        metrics=metrics)
    # Sukets past their last valid day become EXPIRED (SuketExpired each), as the service itself.
    expiry = SuketExpiryWorker(functools.partial(service.expire_sukets, Principal.service(CONTEXT, origin="expiry")),
                               interval=settings.expiry_interval_seconds)
    server = create_server(
        address=f"{settings.host}:{settings.grpc_port}", context_name=CONTEXT,
        register=grpc_server.register(grpc_server.DocumentsServicer(service, feed, distribution)),
        service_names=[grpc_server.SERVICE_NAME], metrics=metrics, reflection_on=settings.reflection,
        gate=security.grpc_gate(GRPC_POLICY, [grpc_server.SERVICE_NAME]), tls=security.settings.tls,
        health_address=f"{settings.host}:{settings.health_port}" if settings.health_port else None)
    ready = lambda: check_database(engine)  # noqa: E731
    app = web.create_app(service=service, distribution=distribution, metrics=metrics, ready_check=ready,
                         gate=security.web_gate(HTTP_POLICY))
    show_feed_states(app, [consumer, inventory_consumer])   # a banner on every page while a feed is failing
    process = ServiceProcess(
        name=CONTEXT, grpc_server=server,
        http_server=HttpServer(app, settings.host, settings.http_port,
                        trusted_proxy_count=security.settings.trusted_proxy_count),
        readiness=ReadinessWatcher(server, ready, metrics),
        # Printing stops first, so that no print job runs on after the clients are closed (on_stop).
        workers=[SimpleNamespace(start=lambda: None, stop=service.stop_printing), consumer, inventory_consumer, expiry],
        on_stop=[feed.close, enrolment_channel.close, inventory_channel.close, engine.dispose])
    return Runtime(settings, engine, service, process, app, metrics, feed, consumer, security, cipher, store,
                   inventory_consumer=inventory_consumer, distribution=distribution)
