import base64
import io
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from PIL import Image

from accounts.tests.factories import UserFactory
from orders.tests.conftest import moscow_delivery, stocked_product  # noqa: F401  (fixtures for order tests)

DATA = Path(__file__).parent / "data"
URL = "/1c/exchange/"
PASSWORD = "obmen-1c-secret"


def data(name: str) -> bytes:
    return (DATA / name).read_bytes()


def png(color="steelblue") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(buffer, "PNG")
    return buffer.getvalue()


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, content in files.items():
            bundle.writestr(name, content)
    return buffer.getvalue()


def lines(response) -> list[str]:
    assert response["Content-Type"].startswith("text/plain"), response["Content-Type"]
    assert "windows-1251" in response["Content-Type"]
    return response.content.decode("windows-1251").split("\n")


@pytest.fixture
def exchange_user(db):
    """A staff member with the permission «Обмен с 1С» and nothing else."""
    user = UserFactory(is_staff=True, email="1c@ohrana-plus.ru")
    user.set_password(PASSWORD)
    user.save()
    user.user_permissions.add(Permission.objects.get(codename="exchange_1c"))
    return user


class OneC:
    """Speaks to /1c/exchange/ exactly as 1C does: Basic auth, then the cookie it was given, raw POST bodies."""

    def __init__(self, client, login: str, password: str = PASSWORD):
        self.client = client
        self.auth = "Basic " + base64.b64encode(f"{login}:{password}".encode()).decode()

    def call(self, type_: str, mode: str, body: bytes | None = None, **params):
        query = {"type": type_, "mode": mode, **params}
        if body is None:
            return self.client.get(URL, query, HTTP_AUTHORIZATION=self.auth)
        path = URL + "?" + "&".join(f"{k}={v}" for k, v in query.items())
        return self.client.generic("POST", path, body, content_type="application/octet-stream")

    def checkauth(self, type_="catalog") -> list[str]:
        answer = lines(self.call(type_, "checkauth"))
        assert answer[0] == "success", answer
        self.client.cookies[answer[1]] = answer[2]
        return answer

    def send(self, type_: str, name: str, content: bytes, parts: int = 1) -> None:
        size = -(-len(content) // parts)
        for start in range(0, len(content), size):
            answer = lines(self.call(type_, "file", content[start : start + size], filename=name))
            assert answer[0] == "success", answer

    def import_file(self, name: str, type_="catalog", limit=200) -> list[str]:
        """Repeat mode=import while it answers progress, as 1C does; every first line, in order."""
        firsts = []
        for _ in range(limit):
            answer = lines(self.call(type_, "import", filename=name))
            firsts.append(answer[0])
            if answer[0] != "progress":
                assert answer[0] == "success", answer
                return firsts
        raise AssertionError("import never finished")

    def unload(self, files: dict[str, bytes], *, full=True) -> dict[str, list[str]]:
        """A whole catalogue exchange: checkauth, init, files, import of each XML, deactivate, complete."""
        self.checkauth()
        init = lines(self.call("catalog", "init"))
        assert init[0] == "zip=yes" and init[1].startswith("file_limit="), init
        for name, content in files.items():
            self.send("catalog", name, content)
        steps = {}
        for name in ("import.xml", "offers.xml"):
            if name in files or any(n.endswith(".zip") for n in files):
                steps[name] = self.import_file(name)
        assert lines(self.call("catalog", "deactivate"))[0] == "success"
        assert lines(self.call("catalog", "complete"))[0] == "success"
        return steps


@pytest.fixture
def one_c(client, exchange_user):
    return OneC(client, exchange_user.email)
