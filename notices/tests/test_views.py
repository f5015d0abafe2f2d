"""The profile's «Уведомления» section, the Telegram deep link and the bot's webhook."""

import datetime
import hashlib
import re

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from notices.exceptions import SMS_NEEDS_PHONE, TELEGRAM_LINK_INVALID, TELEGRAM_NOT_LINKED
from notices.models import Channel, NoticeSettings, TelegramLinkToken
from notices.services import telegram_link_start
from notices.tests.telegram_fakes import CHAT_ID
from notices.views import TELEGRAM_LINKED

pytestmark = pytest.mark.django_db

PROFILE = "/accounts/profile/"
SETTINGS = "/accounts/notices/"
WEBHOOK = "/telegram/webhook/"


@pytest.fixture
def user(client):
    user = UserFactory(phone="+79161234567")
    client.force_login(user)
    return user


def start(client, text: str, *, chat_id: int = CHAT_ID, header: str = "webhook-secret", chat_type: str = "private"):
    update = {
        "update_id": 1,
        "message": {
            "message_id": 7,
            "date": 1765000000,
            "chat": {"id": chat_id, "type": chat_type},
            "from": {"id": chat_id, "is_bot": False, "first_name": "Ирина"},
            "text": text,
        },
    }
    return client.post(
        WEBHOOK, update, content_type="application/json", headers={"X-Telegram-Bot-Api-Secret-Token": header}
    )


def test_the_profile_shows_the_notices_section_without_telegram_when_no_bot(client, user):
    html = client.get(PROFILE).content.decode()

    assert "Уведомления" in html
    assert "О заказах" in html and "О ремонте, монтаже и визитах мастера" in html
    assert "Telegram" not in html


def test_the_profile_offers_to_link_telegram_when_the_shop_has_a_bot(client, user, telegram):
    html = client.get(PROFILE).content.decode()

    assert "Привязать Telegram" in html
    assert 'value="telegram"' in html


def test_the_profile_saves_the_choices(client, user):
    response = client.post(SETTINGS, {"orders": "sms", "service": "email"})

    assert response.status_code == 302
    assert response["Location"] == f"{PROFILE}#notices"
    prefs = NoticeSettings.objects.get(user=user)
    assert (prefs.orders, prefs.service) == (Channel.SMS, Channel.EMAIL)
    html = client.get(PROFILE).content.decode()
    assert re.search(r'value="sms"[^>]*checked', html)


def test_telegram_before_linking_is_refused_in_russian_keeping_the_choices(client, user, telegram):
    response = client.post(SETTINGS, {"orders": "telegram", "service": "sms"})

    assert response.status_code == 200
    html = response.content.decode()
    assert TELEGRAM_NOT_LINKED in html
    assert re.search(r'name="orders" value="telegram"[^>]*checked', html)
    assert re.search(r'name="service" value="sms"[^>]*checked', html)
    assert not NoticeSettings.objects.filter(user=user).exists()


def test_sms_without_a_phone_is_refused_in_russian(client):
    client.force_login(UserFactory(phone=None))

    response = client.post(SETTINGS, {"orders": "sms", "service": "email"})

    assert SMS_NEEDS_PHONE in response.content.decode()


def test_an_unknown_channel_is_refused_in_russian(client, user):
    response = client.post(SETTINGS, {"orders": "pigeon", "service": ""})

    html = response.content.decode()
    assert "Выберите email, Telegram или SMS." in html
    assert "Выберите, как сообщать." in html


def test_link_telegram_goes_to_the_bot_with_a_one_time_token_kept_hashed(client, user, telegram):
    response = client.post(reverse("notices:telegram_link"))

    assert response.status_code == 302
    match = re.fullmatch(r"https://t\.me/ohrana_plus_bot\?start=([A-Za-z0-9_-]{20,64})", response["Location"])
    assert match
    token = match[1]
    stored = TelegramLinkToken.objects.get(user=user)
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in stored.token_hash


def test_link_telegram_is_not_offered_without_a_bot(client, user):
    assert client.post(reverse("notices:telegram_link")).status_code == 404


def test_start_with_the_token_binds_the_chat_and_answers_in_it(client, user, telegram):
    token = telegram_link_start(user=user)

    response = start(client, f"/start {token}")

    assert response.status_code == 200
    assert response.json() == {"method": "sendMessage", "chat_id": CHAT_ID, "text": TELEGRAM_LINKED}
    assert NoticeSettings.objects.get(user=user).telegram_chat_id == CHAT_ID
    # The answer names nobody: whoever holds the link learns nothing of the account.
    assert user.email not in TELEGRAM_LINKED


def test_a_token_works_once(client, user, telegram):
    token = telegram_link_start(user=user)
    start(client, f"/start {token}")

    response = start(client, f"/start {token}", chat_id=999)

    assert response.json()["text"] == TELEGRAM_LINK_INVALID
    assert NoticeSettings.objects.get(user=user).telegram_chat_id == CHAT_ID


def test_a_token_expires_after_15_minutes(client, user, telegram, clock):
    token = telegram_link_start(user=user)
    clock.now += datetime.timedelta(minutes=15, seconds=1)

    response = start(client, f"/start {token}")

    assert response.json()["text"] == TELEGRAM_LINK_INVALID
    assert not NoticeSettings.objects.filter(user=user, telegram_chat_id__isnull=False).exists()


def test_a_new_link_ends_the_earlier_one(client, user, telegram):
    first = telegram_link_start(user=user)
    telegram_link_start(user=user)

    assert start(client, f"/start {first}").json()["text"] == TELEGRAM_LINK_INVALID


def test_an_unknown_token_is_refused(client, user, telegram):
    assert start(client, "/start not-a-token").json()["text"] == TELEGRAM_LINK_INVALID


def test_a_group_chat_is_never_bound(client, user, telegram):
    token = telegram_link_start(user=user)

    response = start(client, f"/start {token}", chat_id=-100123, chat_type="group")

    assert response.content == b""
    assert TelegramLinkToken.objects.get().used_at is None


def test_the_webhook_refuses_a_wrong_secret(client, user, telegram):
    token = telegram_link_start(user=user)

    response = start(client, f"/start {token}", header="guess")

    assert response.status_code == 403
    assert TelegramLinkToken.objects.get().used_at is None


def test_the_webhook_is_not_found_without_a_bot(client, settings):
    settings.TELEGRAM_WEBHOOK_SECRET = "webhook-secret"

    assert start(client, "/start x").status_code == 404


@pytest.mark.parametrize(
    "body", ['{"message": {"chat": [1], "text": "/start x"}}', '{"message": "text"}', "[1, 2]", '"update"', "{"]
)
def test_the_webhook_answers_an_update_of_another_shape_without_an_error(client, telegram, body):
    response = client.post(
        WEBHOOK, body, content_type="application/json", headers={"X-Telegram-Bot-Api-Secret-Token": "webhook-secret"}
    )

    assert response.status_code == (400 if body == "{" else 200)
    assert NoticeSettings.objects.count() == 0


def test_the_webhook_takes_only_post(client, telegram):
    assert client.get(WEBHOOK).status_code == 405


def test_unlink_forgets_the_chat_and_goes_back_to_email(client, user, telegram):
    NoticeSettings.objects.create(user=user, orders=Channel.TELEGRAM, service=Channel.SMS, telegram_chat_id=CHAT_ID)

    response = client.post(reverse("notices:telegram_unlink"))

    assert response.status_code == 302
    prefs = NoticeSettings.objects.get(user=user)
    assert (prefs.telegram_chat_id, prefs.orders, prefs.service) == (None, Channel.EMAIL, Channel.SMS)
    assert "Привязать Telegram" in client.get(PROFILE).content.decode()


def test_settings_need_a_signed_in_customer(client):
    response = client.post(SETTINGS, {"orders": "email", "service": "email"})

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
