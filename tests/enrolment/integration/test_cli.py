import urllib.request

from enrolment.__main__ import main


def test_demo_command_loads_once_then_does_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("EKTP_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("ENROLMENT_DATABASE_URL", raising=False)
    assert main(["demo", "--residents", "20", "--seed", "3"]) == 0
    first = [line for line in capsys.readouterr().out.splitlines() if not line.startswith("{")]
    assert main(["demo", "--residents", "20", "--seed", "3"]) == 0
    second = [line for line in capsys.readouterr().out.splitlines() if not line.startswith("{")]
    assert first[0].startswith("demo loaded: 28 regions, 24 synthetic residents")
    assert "murung.lurah" in "\n".join(first[1:])   # the demo accounts, the lurah's desa included
    assert second[0] == "demo data already loaded; nothing changed"
    assert (tmp_path / "enrolment.db").exists()


def test_http_server_answers_on_its_bound_port(runtime):
    with urllib.request.urlopen(f"http://127.0.0.1:{runtime.process.http.port}/healthz", timeout=5) as response:
        assert response.status == 200
