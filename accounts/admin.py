from allauth.account.admin import EmailAddressAdmin as AllauthEmailAddressAdmin
from allauth.account.decorators import secure_admin_login
from allauth.account.models import EmailAddress
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm

from accounts import services
from accounts.models import Company, CompanyJoinRequest, ConsentRecord, ConsentText, SmsMessage, User

# The admin signs in through the shop's login, which has allauth's rate limits with a cool-off.
admin.site.login = secure_admin_login(admin.site.login)


class ConsentInline(admin.TabularInline):
    model = ConsentRecord
    extra = 0
    readonly_fields = ("kind", "text", "given_at", "ip_address", "user_agent", "withdrawn_at")
    can_delete = False


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "phone")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ("-date_joined",)
    list_display = ("__str__", "first_name", "account_type", "company", "is_staff", "date_joined")
    list_filter = ("account_type", "is_staff", "is_active")
    search_fields = ("email", "phone", "first_name", "last_name", "company__name", "company__inn")
    list_select_related = ("company",)
    autocomplete_fields = ("company",)
    raw_id_fields = ("region", "object_type")
    filter_horizontal = ("interests", "groups", "user_permissions")
    inlines = [ConsentInline]
    fieldsets = (
        (None, {"fields": ("email", "phone", "phone_verified", "password")}),
        (
            "Профиль",
            {"fields": ("first_name", "last_name", "account_type", "company", "region", "object_type", "interests")},
        ),
        ("Права", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Даты", {"fields": ("last_login", "date_joined")}),
    )
    add_form = UserCreationForm
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "phone", "usable_password", "password1", "password2")}),
    )


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ("name", "inn", "kpp", "contact_name", "contact_phone", "created_at")
    search_fields = ("name", "inn", "contact_name", "contact_email", "contact_phone")


@admin.register(CompanyJoinRequest)
class CompanyJoinRequestAdmin(admin.ModelAdmin):
    """Staff approve or decline a buyer's request to join a registered company."""

    list_display = ("user", "company", "status", "created_at", "decided_at", "decided_by")
    list_filter = ("status",)
    list_select_related = ("user", "company", "decided_by")
    search_fields = ("company__name", "company__inn", "user__email", "user__phone")
    readonly_fields = ("user", "company", "status", "created_at", "decided_at", "decided_by")
    actions = ("approve", "decline")

    def has_add_permission(self, request):
        return False

    @admin.action(description="Принять в компанию", permissions=["change"])
    def approve(self, request, queryset):
        self._decide(request, queryset, approve=True)

    @admin.action(description="Отклонить", permissions=["change"])
    def decline(self, request, queryset):
        self._decide(request, queryset, approve=False)

    def _decide(self, request, queryset, *, approve: bool):
        done = 0
        for pk in queryset.filter(status=CompanyJoinRequest.Status.PENDING).values_list("pk", flat=True):
            services.company_join_decide(join_request_id=pk, approve=approve, decided_by=request.user)
            done += 1
        self.message_user(request, f"Решено запросов: {done}.", messages.SUCCESS)


@admin.register(ConsentText)
class ConsentTextAdmin(admin.ModelAdmin):
    """A new version is added as a new text; a published one is never edited, since records point at it."""

    list_display = ("title", "kind", "version", "published_at")
    list_filter = ("kind",)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("kind", "version", "title", "body", "published_at")

    def has_delete_permission(self, request, obj=None):
        return False


# allauth's own action marks addresses verified for anyone who may look at them: it needs the change permission.
admin.site.unregister(EmailAddress)


@admin.register(EmailAddress)
class EmailAddressAdmin(AllauthEmailAddressAdmin):
    @admin.action(description="Отметить выбранные адреса как подтверждённые", permissions=["change"])
    def make_verified(self, request, queryset):
        super().make_verified(request, queryset)


@admin.register(SmsMessage)
class SmsMessageAdmin(admin.ModelAdmin):
    """The log of text messages, for staff to answer «код не пришёл»: read only, codes masked."""

    list_display = ("created_at", "phone", "status", "attempts", "provider_status")
    list_filter = ("status",)
    search_fields = ("phone", "provider_id")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
