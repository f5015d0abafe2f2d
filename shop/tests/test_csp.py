"""Content-Security-Policy on every answer: scripts only from the shop or with the answer's own nonce."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from catalog.tests.factories import StockFactory

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def script_src(response) -> str:
    policy = response["Content-Security-Policy"]
    return next(part for part in policy.split(";") if part.strip().startswith("script-src")).strip()


def test_every_answer_has_a_policy_with_a_nonce_of_its_own_and_no_inline_scripts(client):
    product = StockFactory(quantity=5).product
    first = client.get("/")
    second = client.get("/")  # the page cache's copy this time

    for response in (first, second, client.get(product.get_absolute_url()), client.get("/cart/")):
        source = script_src(response)
        assert re.fullmatch(r"script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}'", source), source
        assert "unsafe-inline" not in source
    assert script_src(first) != script_src(second)
    policy = first["Content-Security-Policy"]
    for directive in ("frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'", "form-action 'self'"):
        assert directive in policy


def test_the_admin_is_covered_too(admin_client):
    assert "nonce-" in admin_client.get("/admin/")["Content-Security-Policy"]


def test_no_template_has_an_inline_script_or_an_inline_event_handler():
    inline = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag:
                inline.append(f"{path.relative_to(TEMPLATES)}: {tag}")
        inline.extend(f"{path.relative_to(TEMPLATES)}: {handler}" for handler in re.findall(r"\son[a-z]+=\"", text))
    assert inline == []
