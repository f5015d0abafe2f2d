"""The configurator's pages: the form with its kit, a saved configuration, and the two actions on a kit."""

from django.contrib import messages
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cart.exceptions import CartError
from cart.services import cart_get_or_create
from configurator import kit as k
from configurator import selectors
from configurator.forms import ConfiguratorForm, default_answers
from configurator.installation import installation_url
from configurator.schematic import schematic_svg
from configurator.services import configuration_add_to_cart, configuration_save
from core.models import Region

TEMPLATE = "configurator/configurator.html"
SAVED = "Конфигурация сохранена: ссылка открывает её такой же"
ADDED = "Комплект в корзине: {units} шт. в {lines} строках"
FIX_FORM = "Исправьте ответы в форме: комплект считается по ним"


def _region_id(user) -> int | None:
    if user.is_authenticated and user.region_id:
        return user.region_id
    return Region.objects.filter(code="77").values_list("pk", flat=True).first()


def _bound_form(data) -> ConfiguratorForm:
    """The form bound to submitted answers; «Оптимальный» and «Надёжный» start over without the swaps."""
    choose = data.get("choose")
    if choose in {"optimal", "reliable"}:
        data = data.copy()
        data["profile"] = choose
        for name in ("recorder", "disk", "switch", *(f"cam{i}" for i in range(6))):
            data.pop(name, None)
    return ConfiguratorForm(data)


def _swap_rows(form: ConfiguratorForm, result) -> list[dict]:
    """A select per part the customer may swap: each zone's camera, the recorder, the disk, the switch."""
    rows = []
    if result.kit is None:
        return rows
    named = [(f"cam{z.index}", f"Камера — {z.zone.name}", k.CAMERA) for z in result.kit.zones]
    named += [("recorder", "Регистратор", k.RECORDER), ("disk", "Жёсткий диск", k.DISK)]
    if result.kit.switch_count or form.data.get("switch"):
        named.append(("switch", "PoE-коммутатор", k.SWITCH))
    for name, label, role in named:
        rows.append(
            {
                "field": form[name],
                "label": label,
                "value": str(form.data.get(name) or ""),
                "options": [(str(c.part.product_id), c.label) for c in result.candidates.get(role, [])],
            }
        )
    return rows


def _page(request, form: ConfiguratorForm, *, saved=None, status: int = 200):
    context = {"form": form, "saved": saved, "result": None}
    if form.is_valid():
        result = selectors.configuration_result(
            requirement=form.requirement(),
            overrides=form.overrides(),
            region_id=form.cleaned_data["region"].pk,
        )
        for name, message in result.unknown.items():
            form.add_error(name, message)
        answers = form.answers()
        context.update(
            result=result,
            state=QueryDict(mutable=True),
            swaps=_swap_rows(form, result),
            schematic=schematic_svg(result.kit) if result.kit else "",
            installation_url=installation_url(form=form, kit=result.kit, saved=saved) if result.kit else "",
        )
        context["state"].update(answers)
        context["state_query"] = context["state"].urlencode()
    return render(request, TEMPLATE, context, status=status)


def configurator(request):
    if request.GET:
        form = _bound_form(request.GET)
    else:
        form = ConfiguratorForm(default_answers(region_id=_region_id(request.user)))
    return _page(request, form)


def saved(request, token: str):
    configuration = selectors.saved_configuration(token=token)
    if configuration is None:
        raise Http404
    data = QueryDict(mutable=True)
    data.update(configuration.answers)
    return _page(request, ConfiguratorForm(data), saved=configuration)


def _posted_form(request) -> ConfiguratorForm:
    return ConfiguratorForm(QueryDict(request.POST.get("state", "")))


def _kit_of(form: ConfiguratorForm):
    return selectors.configuration_result(
        requirement=form.requirement(), overrides=form.overrides(), region_id=form.cleaned_data["region"].pk
    ).kit


@require_POST
def save(request):
    form = _posted_form(request)
    if not form.is_valid():
        messages.error(request, FIX_FORM)
        return redirect("configurator:index")
    configuration = configuration_save(
        answers=form.answers(), kit=_kit_of(form), user=request.user, region=form.cleaned_data["region"]
    )
    messages.success(request, SAVED)
    return redirect(configuration)


@require_POST
def add_to_cart(request):
    form = _posted_form(request)
    back = f"{reverse('configurator:index')}?{request.POST.get('state', '')}"
    if not form.is_valid():
        messages.error(request, FIX_FORM)
        return redirect(back)
    kit = _kit_of(form)
    if kit is None:
        messages.error(request, "Комплект не собран: добавить в корзину нечего")
        return redirect(back)
    try:
        units = configuration_add_to_cart(cart=cart_get_or_create(request=request), kit=kit)
    except CartError as refused:
        messages.error(request, f"Комплект не добавлен: {refused.message}")
        return redirect(back)
    messages.success(request, ADDED.format(units=units, lines=len(kit.lines)))
    return redirect("cart:detail")
