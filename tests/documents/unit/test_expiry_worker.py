"""The Suket expiry job inside the documents process."""
import threading

from documents.expiry import SuketExpiryWorker


def test_the_worker_expires_once_at_start_and_keeps_going_after_a_failure(caplog):
    calls, ran = [], threading.Event()

    def expire() -> int:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database down")
        ran.set()
        return 3

    worker = SuketExpiryWorker(expire, interval=0.01)
    assert worker.run_once() == 0 and "Suket expiry run failed" in caplog.text   # logged, never raised
    worker.start()
    try:
        assert ran.wait(5), "the worker ran again after the failure"
    finally:
        worker.stop()
    assert worker.run_once() == 3
