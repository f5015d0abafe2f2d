"""The shop's emails: text and HTML from templates, with absolute links and the shop's name and contacts."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def absolute_url(path: str) -> str:
    """A link a mail client can open: the shop's scheme and domain before a path of the site."""
    return f"{settings.SHOP_URL_SCHEME}://{settings.SHOP_DOMAIN}{path}"


def email_render(*, template: str, context: dict) -> tuple[str, str]:
    """The text and HTML of `templates/emails/<template>.txt` and `.html`."""
    context = {
        "shop_name": settings.SHOP_NAME,
        "shop_phone": settings.SHOP_PHONE,
        "shop_url": absolute_url("/"),
        **context,
    }
    return render_to_string(f"emails/{template}.txt", context), render_to_string(f"emails/{template}.html", context)


def email_send(*, to: str, subject: str, template: str, context: dict) -> int:
    """Send one of the shop's emails to one address; the number sent (0 or 1)."""
    if not to:
        return 0
    text, html = email_render(template=template, context=context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    message.attach_alternative(html, "text/html")
    return message.send()
