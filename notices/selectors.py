from notices.models import NoticeSettings


def notice_settings_for(*, user) -> NoticeSettings:
    """The customer's notice settings, unsaved defaults when never set."""
    return NoticeSettings.objects.filter(user=user).first() or NoticeSettings(user=user)
