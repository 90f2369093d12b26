"""Settings of the inventory service, read once from the environment; fails fast."""
from __future__ import annotations

import pathlib
from collections.abc import Mapping
from dataclasses import dataclass

from inventory.domain import StockThresholds, is_office_code
from servicekit.config import DEFAULT_PORTS, DEMO, EnvReader, SecuritySettings, service_common

# Offices shown on the page and in metrics even before they hold any blank (demo: Kab. Kapuas
# and Kab. Tanah Bumbu). Region master data stays with enrolment.
DEMO_OFFICES = ("62.03", "63.10")


@dataclass(frozen=True)
class Settings:
    database_url: str
    mode: str = DEMO
    host: str = "127.0.0.1"
    grpc_port: int = DEFAULT_PORTS["inventory"][0]
    http_port: int = DEFAULT_PORTS["inventory"][1]
    health_port: int = 0            # plaintext gRPC health for probes (0: none)
    var_dir: pathlib.Path = pathlib.Path("var")
    log_level: str = "INFO"
    reflection: bool = True
    offices: tuple[str, ...] = ()
    security: SecuritySettings | None = None   # None: demo keys under var_dir/keys
    # Stock levels (H6): at most this many available blanks is LOW (StockLow once per crossing);
    # fewer days of cover than low_days is flagged by the forecast, averaged over window_days.
    stock_low_blanks: int = 100
    stock_low_days: int = 14
    forecast_window_days: int = 28
    # Reservations (H5): an unconsumed reservation returns its blank to stock after this many
    # minutes; the service process sweeps for overdue ones every sweep_seconds.
    reservation_minutes: int = 30
    reservation_sweep_seconds: int = 60

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        reader = EnvReader(environ)
        shared = service_common(reader, "inventory")
        default_offices = ",".join(DEMO_OFFICES) if shared["mode"] == DEMO else ""
        offices = tuple(code.strip() for code in reader.str("INVENTORY_OFFICES", default_offices).split(",")
                        if code.strip())
        bad = [code for code in offices if not is_office_code(code)]
        if bad:
            reader.problems.append(f"INVENTORY_OFFICES must be Kemendagri office codes like 62.03, got {bad}")
        settings = cls(
            offices=offices,
            stock_low_blanks=reader.int("INVENTORY_STOCK_LOW_BLANKS", 100, minimum=0, maximum=10_000_000),
            stock_low_days=reader.int("INVENTORY_STOCK_LOW_DAYS", 14, minimum=0, maximum=365),
            forecast_window_days=reader.int("INVENTORY_FORECAST_WINDOW_DAYS", 28, minimum=1, maximum=365),
            reservation_minutes=reader.int("INVENTORY_RESERVATION_MINUTES", 30, minimum=1, maximum=24 * 60),
            reservation_sweep_seconds=reader.int("INVENTORY_RESERVATION_SWEEP_SECONDS", 60, minimum=1,
                                                 maximum=3600),
            **shared,
        )
        reader.check()
        return settings

    @property
    def thresholds(self) -> StockThresholds:
        return StockThresholds(self.stock_low_blanks, self.stock_low_days, self.forecast_window_days)
