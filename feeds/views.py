from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import condition, require_safe

from feeds.selectors import feed_file, feed_open
from feeds.services import feed_build_missing


def _state(request):
    # Read once a request: the conditional check asks for both the ETag and the time.
    if not hasattr(request, "feed_file_found"):
        request.feed_file_found = feed_file()
    return request.feed_file_found


def _etag(request):
    state = _state(request)
    return state.etag if state else None


def _last_modified(request):
    state = _state(request)
    return state.modified if state else None


@require_safe
@condition(etag_func=_etag, last_modified_func=_last_modified)
def yml_feed(request):
    """Serve the published YML feed; before the first build, build it or say when to come back."""
    opened = feed_open()
    if opened is None:
        # Without a worker (CELERY_TASK_ALWAYS_EAGER) this builds at once and the file is served below.
        feed_build_missing()
        opened = feed_open()
    if opened is None:
        response = HttpResponse(
            "Фид для маркетплейсов готовится, повторите запрос позже.\n",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = str(settings.FEED_RETRY_AFTER)
        return response
    handle, state = opened
    response = FileResponse(handle, content_type="application/xml; charset=utf-8")
    # The headers of the very file sent, even if a build replaced it since the conditional check.
    response["ETag"] = state.etag
    response["Last-Modified"] = http_date(state.modified.timestamp())
    patch_cache_control(response, public=True, no_cache=True)
    return response
