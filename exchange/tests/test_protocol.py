"""/1c/exchange/ speaks the protocol of a stock 1C: checkauth, the cookie, init, file, import, complete."""

import base64

import pytest
from django.test import Client

from accounts.tests.factories import PASSWORD as FACTORY_PASSWORD
from accounts.tests.factories import UserFactory
from exchange.models import ExchangeFile, ExchangeSession
from exchange.services.files import exchange_root
from exchange.tests.conftest import PASSWORD, URL, OneC, data, lines

pytestmark = pytest.mark.django_db


def test_checkauth_answers_success_with_the_cookie_and_sessid(one_c, exchange_user):
    answer = one_c.checkauth()

    assert answer[1] == "exchange_1c"
    assert len(answer[2]) >= 24
    assert answer[3] == f"sessid={answer[2]}"
    assert answer[4].startswith("timestamp=")
    assert ExchangeSession.objects.get().user == exchange_user


@pytest.mark.parametrize(
    ("login", "password"),
    [("1c@ohrana-plus.ru", "wrong"), ("nobody@example.ru", PASSWORD)],
)
def test_checkauth_with_wrong_credentials_fails_with_401(client, exchange_user, login, password):
    response = OneC(client, login, password).call("catalog", "checkauth")

    assert response.status_code == 401
    assert lines(response)[0] == "failure"


def test_checkauth_of_staff_without_the_permission_fails(client):
    UserFactory(is_staff=True, email="clerk@ohrana-plus.ru")

    response = OneC(client, "clerk@ohrana-plus.ru", FACTORY_PASSWORD).call("catalog", "checkauth")

    assert (response.status_code, lines(response)[0]) == (401, "failure")


def test_a_superuser_may_exchange(client):
    UserFactory(is_staff=True, is_superuser=True, email="boss@ohrana-plus.ru")
    OneC(client, "boss@ohrana-plus.ru", FACTORY_PASSWORD).checkauth()


@pytest.mark.parametrize("mode", ["init", "file", "import", "deactivate", "complete", "query", "success"])
def test_every_mode_without_the_cookie_fails(exchange_user, mode):
    auth = "Basic " + base64.b64encode(f"{exchange_user.email}:{PASSWORD}".encode()).decode()

    response = Client().get(URL, {"type": "catalog", "mode": mode, "filename": "import.xml"}, HTTP_AUTHORIZATION=auth)

    assert lines(response)[0] == "failure"


def test_init_answers_zip_and_the_file_limit_and_starts_an_empty_folder(one_c, settings):
    settings.EXCHANGE_FILE_LIMIT = 1000
    one_c.checkauth()
    one_c.send("catalog", "stale.xml", b"<a/>")

    answer = lines(one_c.call("catalog", "init"))

    assert answer == ["zip=yes", "file_limit=1000"]
    session = ExchangeSession.objects.get()
    assert list((exchange_root() / session.folder).iterdir()) == []


def test_a_part_larger_than_the_file_limit_is_refused(one_c, settings):
    settings.EXCHANGE_FILE_LIMIT = 100
    one_c.checkauth()
    one_c.call("catalog", "init")

    answer = lines(one_c.call("catalog", "file", b"x" * 101, filename="import.xml"))

    assert answer[0] == "failure"


def test_the_file_log_keeps_sizes_and_parts(one_c):
    one_c.checkauth()
    one_c.call("catalog", "init")
    content = data("cml204/import.xml")

    one_c.send("catalog", "import.xml", content, parts=3)

    record = ExchangeFile.objects.get()
    assert (record.name, record.size, record.parts) == ("import.xml", len(content), 3)


@pytest.mark.parametrize(
    "name",
    [
        "../import.xml",
        "../../settings.py",
        "/etc/passwd",
        "C:/Windows/win.ini",
        "c:\\temp\\import.xml",
        "import_files/../../x.xml",
        "shell.php",
        "run.PHP",
        "x.php.jpg",
        ".htaccess",
        "page.html",
    ],
)
def test_names_escaping_the_folder_or_scripts_are_refused(one_c, name):
    one_c.checkauth()
    one_c.call("catalog", "init")

    file_answer = lines(one_c.call("catalog", "file", b"<?php echo 1; ?>", filename=name))
    import_answer = lines(one_c.call("catalog", "import", filename=name))

    assert file_answer[0] == "failure"
    assert import_answer[0] == "failure"
    assert not list(exchange_root().parent.glob("*.php"))


def test_a_zip_member_escaping_the_folder_is_refused(one_c):
    from exchange.tests.conftest import zipped

    one_c.checkauth()
    one_c.call("catalog", "init")
    one_c.send("catalog", "evil.zip", zipped({"../../evil.xml": b"<a/>"}))

    answer = lines(one_c.call("catalog", "import", filename="import.xml"))

    assert answer[0] == "failure"
    assert not (exchange_root().parent / "evil.xml").exists()


def test_an_unknown_mode_fails(one_c):
    one_c.checkauth()

    assert lines(one_c.call("catalog", "dance"))[0] == "failure"


def test_complete_ends_the_session_and_its_cookie(one_c):
    one_c.checkauth()

    assert lines(one_c.call("catalog", "complete"))[0] == "success"
    assert lines(one_c.call("catalog", "init"))[0] == "failure"
    assert ExchangeSession.objects.get().completed_at is not None


def test_calls_past_the_rate_limit_of_a_login_fail_with_429(one_c, settings):
    settings.EXCHANGE_CALLS_PER_MINUTE = 3
    one_c.checkauth()
    one_c.call("catalog", "init")
    one_c.call("catalog", "init")

    response = one_c.call("catalog", "init")

    assert (response.status_code, lines(response)[0]) == (429, "failure")


def test_plain_http_is_refused_where_the_shop_is_https_only(one_c, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = one_c.client.get(
        URL, {"type": "catalog", "mode": "checkauth"}, HTTP_AUTHORIZATION=one_c.auth, secure=True
    )
    plain = one_c.client.get(URL, {"type": "catalog", "mode": "checkauth"}, HTTP_AUTHORIZATION=one_c.auth)

    assert lines(response)[0] == "success"
    assert plain.status_code in (301, 403)


def test_a_part_of_several_megabytes_is_streamed_to_disk(one_c, settings):
    settings.EXCHANGE_FILE_LIMIT = 8 * 1024 * 1024
    one_c.checkauth()
    one_c.call("catalog", "init")
    content = b"<!-- 1C -->" * (5 * 1024 * 1024 // 11)

    answer = lines(one_c.call("catalog", "file", content, filename="import_files/big.bin"))

    assert answer[0] == "success"
    assert ExchangeFile.objects.get().size == len(content)


def test_complete_removes_the_sessions_files_and_a_new_session_sweeps_stale_folders(one_c):
    import os
    import time

    one_c.checkauth()
    one_c.call("catalog", "init")
    one_c.send("catalog", "import.xml", b"<a/>")
    first = exchange_root() / ExchangeSession.objects.get().folder
    stale = exchange_root() / "20260101-000000-dead"
    stale.mkdir(parents=True)
    os.utime(stale, (time.time() - 2 * 86400, time.time() - 2 * 86400))

    one_c.call("catalog", "complete")
    one_c.checkauth()

    assert not first.exists()
    assert not stale.exists()


def test_a_session_stops_when_its_user_loses_the_permission(one_c, exchange_user):
    from django.contrib.auth.models import Permission

    one_c.checkauth()
    exchange_user.user_permissions.remove(Permission.objects.get(codename="exchange_1c"))

    response = one_c.call("catalog", "init")

    assert (response.status_code, lines(response)[0]) == (401, "failure")


def test_a_forged_cookie_is_no_session(one_c, client):
    one_c.checkauth()
    client.cookies["exchange_1c"] = "forged-value-of-the-right-length-000"

    assert lines(one_c.call("catalog", "init"))[0] == "failure"


def test_the_address_without_its_slash_answers_too(one_c):
    one_c.checkauth()

    response = one_c.client.generic("POST", "/1c/exchange?type=catalog&mode=file&filename=a.xml", b"<a/>")

    assert lines(response)[0] == "success"
