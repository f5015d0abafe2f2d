"""Repair and installation forms: each wrong answer gets a Russian message beside its field."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.fields import RussianPhoneField
from catalog.models import ObjectType, Product
from core.models import Region
from service import selectors
from service.models import EquipmentSource, Goal, RepairFormat, ServiceCentre, SlotKind, Symptom
from service.services import ATTACHMENT_LIMITS_MB, MAX_ATTACHMENTS, repair_attachments_check

REQUIRED = "Заполните это поле"
SYMPTOMS_REQUIRED = "Отметьте хотя бы один признак неисправности"
DESCRIPTION_FOR_OTHER = "Опишите, что происходит: вы отметили «Другое»"
MODEL_REQUIRED = "Укажите модель или артикул"
SKU_UNKNOWN = "Товара с таким артикулом нет в нашем каталоге — проверьте артикул или оставьте поле пустым"
PURCHASE_IN_FUTURE = "Дата покупки не может быть в будущем"
CENTRE_REQUIRED = "Выберите сервис-центр"
CENTRE_EMPTY = "Выберите сервис-центр"
REGION_EMPTY = "Выберите регион"
ADDRESS_REQUIRED = "Укажите адрес"
SLOT_REQUIRED = "Выберите время из списка"
GOALS_REQUIRED = "Отметьте хотя бы одну цель"
PACKAGE_REQUIRED = "Выберите пакет"
DATE_TOO_EARLY = "Выберите дату не раньше завтрашнего дня"
DATE_TOO_LATE = "Выберите дату в ближайшие 60 дней"
OWN_EQUIPMENT_REQUIRED = "Перечислите оборудование, купленное у нас, или выберите «под ключ»"

SPECIAL_ZONES = [
    ("entrance", "Вход"),
    ("perimeter", "Периметр"),
    ("server_room", "Серверная"),
    ("parking", "Парковка"),
    ("yard", "Двор"),
    ("storage", "Склад или подсобка"),
]

ACTION_REFRESH = "refresh"
ACTION_SUBMIT = "submit"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the service's rules."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(
                attrs={"accept": "image/jpeg,.mpo,image/png,image/webp,video/mp4,video/quicktime,application/pdf"}
            ),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        # Empty files are the service's to refuse, with their name; Django's own check would drop the name.
        return list(files)


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _slot_label(slot) -> str:
    local = timezone.localtime(slot.starts_at)
    end = timezone.localtime(slot.ends_at)
    owner = slot.technician or slot.crew or ""
    label = f"{local:%d.%m} {local:%H:%M}–{end:%H:%M}"
    return f"{label}, {owner}" if owner else label


def _purchase_label(purchase) -> str:
    serial = f", S/N {purchase.serials[0]}" if purchase.serials else ""
    return (
        f"{purchase.name} ({purchase.sku}{serial}), заказ {purchase.order_number}, "
        f"гарантия с {purchase.purchased_on:%d.%m.%Y}"
    )


class SlotChoiceMixin:
    """A slot picked among those the form offers for what was chosen above it."""

    slots: list = []

    def _set_slots(self, slots) -> None:
        self.slots = slots
        self.fields["slot"].choices = [(str(slot.pk), _slot_label(slot)) for slot in slots]

    def chosen_slot(self):
        """The slot the form shows as chosen: the customer's, or the earliest one offered when none is chosen yet."""
        value = self["slot"].value()
        if value:
            return next((slot for slot in self.slots if str(slot.pk) == str(value)), None)
        return self.slots[0] if self.slots else None

    def _peek(self, name):
        """A field's value as cleaned, without recording an error (the full clean records it)."""
        field = self.fields[name]
        try:
            return field.clean(field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name)))
        except ValidationError:
            return None


class RepairForm(SlotChoiceMixin, forms.Form):
    region = forms.ModelChoiceField(
        label="Регион", queryset=Region.objects.all(), empty_label=REGION_EMPTY, error_messages={"required": REQUIRED}
    )
    purchase = forms.ChoiceField(label="Из моих покупок", required=False, choices=[])
    sku = forms.CharField(
        label="Артикул (если куплено у нас)", max_length=64, required=False, help_text="Указан в чеке и в заказе."
    )
    equipment_model = forms.CharField(label="Модель оборудования", max_length=150, required=False)
    serial_number = forms.CharField(label="Серийный номер", max_length=64, required=False)
    source = forms.ChoiceField(
        label="Где куплено", choices=EquipmentSource.choices, widget=forms.RadioSelect, initial=EquipmentSource.OURS
    )
    purchase_date = forms.DateField(label="Дата покупки", required=False, widget=_date_input())
    symptoms = forms.MultipleChoiceField(
        label="Что не так",
        choices=Symptom.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": SYMPTOMS_REQUIRED},
    )
    description = forms.CharField(
        label="Описание", required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )
    attachments = MultipleFileField(
        label="Файлы",
        required=False,
        help_text=(
            f"До {MAX_ATTACHMENTS} файлов: фото и скриншоты (JPEG, в том числе MPO с телефона, PNG, WebP) "
            f"до {ATTACHMENT_LIMITS_MB['image']} МБ, "
            f"видео (MP4, MOV) до {ATTACHMENT_LIMITS_MB['video']} МБ, схемы в PDF до {ATTACHMENT_LIMITS_MB['pdf']} МБ."
        ),
    )
    repair_format = forms.ChoiceField(
        label="Формат ремонта", choices=RepairFormat.choices, widget=forms.RadioSelect, initial=RepairFormat.VISIT
    )
    centre = forms.ModelChoiceField(
        label="Сервис-центр",
        queryset=ServiceCentre.objects.filter(is_active=True),
        required=False,
        empty_label=CENTRE_EMPTY,
        help_text="Для приёма в сервис-центре и забора курьером.",
    )
    address = forms.CharField(label="Адрес", max_length=255, required=False)
    access_notes = forms.CharField(label="Доступ: домофон, этаж, пропуск", max_length=255, required=False)
    contact_name = forms.CharField(label="Контактное лицо", max_length=150, error_messages={"required": REQUIRED})
    contact_phone = RussianPhoneField(label="Телефон для связи", error_messages={"required": REQUIRED})
    slot = forms.ChoiceField(
        label="Время",
        widget=forms.RadioSelect,
        choices=[],
        required=False,
        error_messages={"invalid_choice": SLOT_REQUIRED},
    )

    def __init__(self, *args, today: datetime.date, purchases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.product = None
        self.purchases = {str(p.line_id): p for p in purchases}
        self.fields["purchase"].choices = [("", "— не из заказа, укажу сам —")] + [
            (key, _purchase_label(p)) for key, p in self.purchases.items()
        ]
        chosen = self.chosen_purchase
        if chosen is not None and chosen.serials:
            self.fields["serial_number"].help_text = (
                f"По заказу: {', '.join(chosen.serials)}. Оставьте пустым, если в ремонт идёт первый из них."
                if len(chosen.serials) > 1
                else f"По заказу: {chosen.serials[0]}. Оставьте пустым, если он тот же."
            )
        region = self._peek("region") if self.is_bound else self.initial.get("region")
        repair_format = (self._peek("repair_format") if self.is_bound else None) or RepairFormat.VISIT
        centre = self._peek("centre") if self.is_bound else None
        slots = selectors.free_slots(kind=repair_format, region=region, centre=centre)
        if repair_format == RepairFormat.VISIT:
            # Whoever of the region's technicians is free comes; the customer chooses a time, not a person.
            slots = list({slot.starts_at: slot for slot in reversed(slots)}.values())[::-1]
        self._set_slots(slots)

    def clean_sku(self):
        sku = self.cleaned_data["sku"].strip()
        if sku:
            self.product = Product.objects.filter(sku__iexact=sku).only("pk", "name", "warranty_months").first()
            if self.product is None:
                raise ValidationError(SKU_UNKNOWN)
        return sku

    def clean_purchase_date(self):
        day = self.cleaned_data["purchase_date"]
        if day and day > self.today:
            raise ValidationError(PURCHASE_IN_FUTURE)
        return day

    def clean_attachments(self):
        files = self.cleaned_data["attachments"]
        repair_attachments_check(files=files)
        return files

    @property
    def chosen_purchase(self):
        return self.purchases.get(self.data.get(self.add_prefix("purchase")) or "") if self.is_bound else None

    def clean(self):
        data = super().clean()
        purchase = self.purchases.get(data.get("purchase") or "")
        if purchase is not None:
            data["equipment_model"] = data.get("equipment_model") or purchase.name[:150]
            data["serial_number"] = data.get("serial_number") or (purchase.serials[0] if purchase.serials else "")
            data["source"] = EquipmentSource.OURS
        if not data.get("equipment_model") and not data.get("sku") and "sku" not in self.errors:
            self.add_error("equipment_model", MODEL_REQUIRED)
        if Symptom.OTHER in data.get("symptoms", []) and not data.get("description"):
            self.add_error("description", DESCRIPTION_FOR_OTHER)
        repair_format = data.get("repair_format")
        if repair_format in (RepairFormat.INTAKE, RepairFormat.COURIER) and not data.get("centre"):
            self.add_error("centre", CENTRE_REQUIRED)
        if repair_format in (RepairFormat.VISIT, RepairFormat.COURIER) and not data.get("address"):
            self.add_error("address", ADDRESS_REQUIRED)
        if not data.get("slot") and "slot" not in self.errors:
            self.add_error("slot", SLOT_REQUIRED)
        return data

    def offer(self) -> selectors.RepairOffer | None:
        """The warranty verdict and cost for what is filled in so far: free only for a purchase from «Мои покупки»."""
        region = self._peek("region") if self.is_bound else self.initial.get("region")
        source = self._peek("source") if self.is_bound else EquipmentSource.OURS
        purchase = self.chosen_purchase
        if purchase is not None:
            source = EquipmentSource.OURS
        if not source:
            return None
        repair_format = (self._peek("repair_format") if self.is_bound else None) or RepairFormat.VISIT
        return selectors.repair_offer(
            source=source, purchase=purchase, region=region, repair_format=repair_format, today=self.today
        )


class InstallationForm(SlotChoiceMixin, forms.Form):
    region = forms.ModelChoiceField(
        label="Регион", queryset=Region.objects.all(), empty_label=REGION_EMPTY, error_messages={"required": REQUIRED}
    )
    object_type = forms.ModelChoiceField(
        label="Тип объекта", queryset=ObjectType.objects.all(), required=False, empty_label="Другое"
    )
    area_m2 = forms.IntegerField(
        label="Площадь, м²",
        min_value=1,
        max_value=100_000,
        error_messages={
            "required": REQUIRED,
            "invalid": "Укажите площадь целым числом",
            "min_value": "Площадь должна быть больше нуля",
            "max_value": "Площадь не больше 100 000 м²",
        },
    )
    floors = forms.IntegerField(
        label="Этажей",
        min_value=1,
        max_value=100,
        initial=1,
        error_messages={
            "required": REQUIRED,
            "invalid": "Укажите число этажей",
            "min_value": "Этажей не меньше одного",
            "max_value": "Этажей не больше 100",
        },
    )
    has_internet = forms.BooleanField(label="Есть интернет", required=False)
    has_lan = forms.BooleanField(label="Есть локальная сеть", required=False)
    special_zones = forms.MultipleChoiceField(
        label="Особые зоны", choices=SPECIAL_ZONES, widget=forms.CheckboxSelectMultiple, required=False
    )
    access_mode = forms.CharField(
        label="Режим доступа", max_length=255, required=False, help_text="Например: будни 9–18, по пропуску."
    )
    goals = forms.MultipleChoiceField(
        label="Цели",
        choices=Goal.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": GOALS_REQUIRED},
    )
    equipment = forms.ChoiceField(
        label="Оборудование",
        choices=[("turnkey", "Под ключ — подберём сами"), ("own", "Уже куплено у нас")],
        widget=forms.RadioSelect,
        initial="turnkey",
    )
    own_equipment = forms.CharField(label="Что уже куплено", max_length=255, required=False)
    desired_date = forms.DateField(
        label="Желаемая дата", widget=_date_input(), error_messages={"required": REQUIRED, "invalid": "Укажите дату"}
    )
    wants_survey = forms.BooleanField(label="Нужен выезд на обследование перед окончательной сметой", required=False)
    package = forms.ChoiceField(
        label="Пакет", widget=forms.RadioSelect, choices=[], error_messages={"required": PACKAGE_REQUIRED}
    )
    address = forms.CharField(label="Адрес объекта", max_length=255, error_messages={"required": REQUIRED})
    access_notes = forms.CharField(label="Доступ: домофон, этаж, пропуск", max_length=255, required=False)
    contact_name = forms.CharField(label="Контактное лицо", max_length=150, error_messages={"required": REQUIRED})
    contact_phone = RussianPhoneField(label="Телефон для связи", error_messages={"required": REQUIRED})
    slot = forms.ChoiceField(
        label="Бригада и время",
        widget=forms.RadioSelect,
        choices=[],
        required=False,
        error_messages={"invalid_choice": SLOT_REQUIRED},
    )

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.packages = selectors.packages_active()
        self.fields["package"].choices = [(str(p.pk), p.name) for p in self.packages]
        region = self._peek("region") if self.is_bound else self.initial.get("region")
        day = self._peek("desired_date") if self.is_bound else self.initial.get("desired_date")
        self._set_slots(selectors.free_slots(kind=SlotKind.INSTALL, region=region, date=day))

    def clean_desired_date(self):
        day = self.cleaned_data["desired_date"]
        if day <= self.today:
            raise ValidationError(DATE_TOO_EARLY)
        if day > self.today + datetime.timedelta(days=60):
            raise ValidationError(DATE_TOO_LATE)
        return day

    def clean_package(self):
        value = self.cleaned_data["package"]
        return next(p for p in self.packages if str(p.pk) == value)

    def clean(self):
        data = super().clean()
        if data.get("equipment") == "own" and not data.get("own_equipment"):
            self.add_error("own_equipment", OWN_EQUIPMENT_REQUIRED)
        if not data.get("slot") and "slot" not in self.errors:
            self.add_error("slot", SLOT_REQUIRED)
        return data

    def survey(self):
        """The object as filled in so far, for the estimate beside the form; None until it can be priced."""
        from service.pricing import ObjectSurvey

        if not self.is_bound:
            return None
        area, floors, goals = self._peek("area_m2"), self._peek("floors"), self._peek("goals")
        if not area or not floors or not goals:
            return None
        object_type = self._peek("object_type")
        return ObjectSurvey(
            object_type=object_type.slug if object_type else "", area_m2=area, floors=floors, goals=frozenset(goals)
        )
