"""Content-Security-Policy for every answer, through django-csp, with a fresh nonce in each header."""

from csp.middleware import CSPMiddleware


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware that makes the answer's nonce even when no template asked for it.

    The shop has no inline script, so no page needs the nonce; it is in the header so that a script added later
    must carry it, and cached pages (rendered for nobody) never hold one of their own.
    """

    def process_request(self, request):
        super().process_request(request)
        str(request.csp_nonce)
