"""A real OpenID provider on loopback for the sign-in tests (tests/embed, tests/browser)."""
from __future__ import annotations

import socket
import subprocess
import sys
import time

import pytest
import requests


@pytest.fixture(scope="session")
def openid_provider(tmp_path_factory):
    """A real OpenID provider on loopback (oidc-provider-mock, Authlib inside), in its own process so that its
    own deprecation warnings stay out of the test run: nonce required, any client id. Yields its issuer URL; set
    a person's claims with provider_person()."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = (tmp_path_factory.mktemp("openid-provider") / "provider.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port),
                                "--require-nonce"], stdout=log, stderr=subprocess.STDOUT)
    issuer = f"http://localhost:{port}"
    try:
        for _ in range(100):
            try:
                requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1).raise_for_status()
                break
            except requests.RequestException:
                if process.poll() is not None:
                    raise RuntimeError(f"the OpenID provider stopped; see {log.name}") from None
                time.sleep(0.1)
        else:
            raise RuntimeError(f"the OpenID provider did not answer in 10 s; see {log.name}")
        yield issuer
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def provider_person(issuer: str, sub: str, **claims) -> None:
    """Who `sub` is at the provider: the claims its ID token will carry (email, email_verified, name...)."""
    requests.put(f"{issuer}/users/{sub}", json=claims, timeout=5).raise_for_status()


def authorize_at_provider(authorize_url: str, sub: str) -> str:
    """What a person does at the provider: choose who they are; returns the redirect back to us."""
    response = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=5)
    assert response.status_code == 302, response.text
    return response.headers["Location"]
