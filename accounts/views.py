"""Profile, company details, account deletion and the consent and privacy texts."""

from allauth.account.views import SignupView
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_http_methods

from accounts import selectors, services
from accounts.forms import AccountDeleteForm, CompanyForm, ProfileForm
from accounts.models import ConsentText
from accounts.selectors import consent_text_current, consent_text_get


@method_decorator(transaction.atomic, name="dispatch")
class AtomicSignupView(SignupView):
    """allauth's signup in one transaction: the user, company, consent and email address together."""


signup = AtomicSignupView.as_view()


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    company = user.company if user.company_id else None
    profile_form = ProfileForm(user=user, prefix="profile")
    company_form = CompanyForm(company=company, prefix="company") if company else None
    join_requests = selectors.company_join_requests_to_decide(user=user)
    if request.method == "POST":
        action = request.POST.get("action")
        if action in ("join_approve", "join_decline"):
            return _join_decide(request, join_requests, approve=action == "join_approve")
        if action == "company" and company is not None:
            company_form = CompanyForm(request.POST, company=company, prefix="company")
            if company_form.is_valid():
                services.company_update(company=company, data=company_form.company_data())
                messages.success(request, "Реквизиты компании сохранены.")
                return redirect("accounts:profile")
        else:
            profile_form = ProfileForm(request.POST, user=user, prefix="profile")
            if profile_form.is_valid():
                services.customer_update_profile(user=user, profile=profile_form.profile_data())
                messages.success(request, "Профиль сохранён.")
                return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "profile_form": profile_form,
            "company_form": company_form,
            "company": company,
            "consent": selectors.consent_current(user=user),
            "join_requests": join_requests,
            "join_pending": selectors.company_join_request_pending(user=user),
        },
    )


def _join_decide(request, join_requests, *, approve: bool):
    # Only the requests this person may decide are found; any other id is someone else's: 404.
    allowed = {str(r.pk): r for r in join_requests}
    join_request = allowed.get(request.POST.get("join_request", ""))
    if join_request is None:
        raise Http404
    try:
        services.company_join_decide(join_request_id=join_request.pk, approve=approve, decided_by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        name = join_request.user.get_full_name()
        messages.success(
            request, f"{name} теперь покупает от имени компании." if approve else f"Запрос {name} отклонён."
        )
    return redirect("accounts:profile")


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.account_delete(user=request.user)
        logout(request)
        messages.success(request, "Согласие отозвано, аккаунт удалён, персональные данные стёрты.")
        return redirect("/")
    return render(request, "accounts/account_delete.html", {"form": form})


def consent_text(request):
    """The current consent text, or a past version by ?version=, word for word as it was accepted."""
    version = request.GET.get("version", "")[:20]
    try:
        text = consent_text_get(version=version) if version else consent_text_current()
    except ConsentText.DoesNotExist:
        raise Http404 from None
    return render(request, "accounts/consent.html", {"text": text})


def privacy_policy(request):
    return render(request, "accounts/privacy.html", {"version": consent_text_current().version})
