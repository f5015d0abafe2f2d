"""The configurator's form: the object, its zones, the archive, and the parts the customer swapped in."""

from django import forms
from django.core.exceptions import ValidationError

from catalog.models import ObjectType
from configurator import kit as k
from core.models import Region

ZONE_ROWS = 6
MAX_CAMERAS = 64
ZONE_NAMES = ["Вход", "Периметр", "Парковка", "Склад", "Касса", "Двор", "Офис", "Коридор", "Торговый зал"]
PLACES = [("indoor", "В помещении"), ("outdoor", "На улице")]
DETAILS = [(k.OVERVIEW, "Обзор"), (k.FACES, "Распознавание лиц"), (k.PLATES, "Номера машин")]
RECORDING = [("continuous", "Постоянно"), ("motion", "По движению")]
PROFILES = [("optimal", "Оптимальный"), ("reliable", "Надёжный")]
REQUIRED = "Заполните это поле"
TOO_MANY_CAMERAS = f"Не больше {MAX_CAMERAS} камер в одной системе"
NO_CAMERAS = "Укажите хотя бы одну камеру в какой-нибудь зоне"
SWAP_FIELDS = ("recorder", "disk", "switch")

# A starting object: an entrance, a perimeter, a parking and a storeroom of a small business.
DEFAULT_ZONES = [
    ("Вход", 2, "outdoor", k.FACES, 20),
    ("Периметр", 2, "outdoor", k.OVERVIEW, 30),
    ("Парковка", 1, "outdoor", k.PLATES, 30),
    ("Склад", 2, "indoor", k.OVERVIEW, 10),
    ("Касса", 0, "indoor", k.FACES, 0),
    ("Офис", 0, "indoor", k.OVERVIEW, 0),
]


def _int(label, *, low, high, initial=None, required=True, unit=""):
    # Django formats these messages with %-parameters, so a literal percent sign is doubled.
    suffix = f" {unit}".replace("%", "%%") if unit else ""
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        initial=initial,
        required=required,
        error_messages={
            "required": REQUIRED,
            "invalid": "Введите целое число",
            "min_value": f"Не меньше {low}{suffix}",
            "max_value": f"Не больше {high}{suffix}",
        },
    )


class ConfiguratorForm(forms.Form):
    region = forms.ModelChoiceField(
        label="Регион доставки", queryset=Region.objects.all(), empty_label=None, error_messages={"required": REQUIRED}
    )
    family = forms.ChoiceField(
        label="Система",
        choices=[("ip", "IP (сетевые камеры)"), ("analog", "HD-TVI / AHD (по коаксиальному кабелю)")],
        initial="ip",
        widget=forms.RadioSelect,
    )
    days = _int("Дней архива", low=1, high=365, initial=30, unit="дней")
    recording = forms.ChoiceField(label="Запись", choices=RECORDING, initial="motion", widget=forms.RadioSelect)
    motion_share = _int("Доля времени с движением, %", low=5, high=100, initial=40, unit="%")
    cable_run_m = _int("Кабель до камеры, м", low=1, high=300, initial=30, unit="м")
    remote = forms.BooleanField(label="Смотреть с телефона", required=False, initial=True)
    has_network = forms.BooleanField(label="В здании уже есть сеть", required=False)
    object_type = forms.ModelChoiceField(
        label="Тип объекта", queryset=ObjectType.objects.all(), required=False, empty_label="Другое"
    )
    area_m2 = _int("Площадь, м²", low=1, high=100_000, initial=100, required=False, unit="м²")
    floors = _int("Этажей", low=1, high=100, initial=1, required=False)
    profile = forms.ChoiceField(choices=PROFILES, initial="optimal", required=False, widget=forms.HiddenInput)
    recorder = forms.IntegerField(label="Регистратор", required=False, min_value=1)
    disk = forms.IntegerField(label="Жёсткий диск", required=False, min_value=1)
    switch = forms.IntegerField(label="PoE-коммутатор", required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(ZONE_ROWS):
            name, cameras, place, detail, night = DEFAULT_ZONES[i]
            self.fields[f"z{i}_name"] = forms.ChoiceField(
                label="Зона", choices=[(n, n) for n in ZONE_NAMES], initial=name
            )
            self.fields[f"z{i}_cameras"] = _int("Камер", low=0, high=32, initial=cameras)
            self.fields[f"z{i}_place"] = forms.ChoiceField(label="Где", choices=PLACES, initial=place)
            self.fields[f"z{i}_detail"] = forms.ChoiceField(label="Что видеть", choices=DETAILS, initial=detail)
            self.fields[f"z{i}_night"] = _int("Ночью видно до, м", low=0, high=200, initial=night, unit="м")
            self.fields[f"cam{i}"] = forms.IntegerField(label="Камера", required=False, min_value=1)

    def zone_rows(self):
        """The bound fields of each zone row, for the template."""
        return [
            {
                "index": i,
                "name": self[f"z{i}_name"],
                "cameras": self[f"z{i}_cameras"],
                "place": self[f"z{i}_place"],
                "detail": self[f"z{i}_detail"],
                "night": self[f"z{i}_night"],
            }
            for i in range(ZONE_ROWS)
        ]

    def clean(self):
        data = super().clean()
        counts = [data.get(f"z{i}_cameras") for i in range(ZONE_ROWS)]
        if all(isinstance(c, int) for c in counts):
            if sum(counts) == 0:
                self.add_error("z0_cameras", NO_CAMERAS)
            elif sum(counts) > MAX_CAMERAS:
                raise ValidationError(TOO_MANY_CAMERAS)
        return data

    def requirement(self) -> k.Requirement:
        data = self.cleaned_data
        zones = tuple(
            k.Zone(
                name=data[f"z{i}_name"],
                cameras=data[f"z{i}_cameras"],
                outdoor=data[f"z{i}_place"] == "outdoor",
                detail=data[f"z{i}_detail"],
                night_m=data[f"z{i}_night"],
            )
            for i in range(ZONE_ROWS)
        )
        return k.Requirement(
            zones=zones,
            family=data["family"],
            days=data["days"],
            recorded_share=1.0 if data["recording"] == "continuous" else data["motion_share"] / 100,
            reliable=data.get("profile") == "reliable",
            cable_run_m=data["cable_run_m"],
        )

    def overrides(self) -> k.Overrides:
        data = self.cleaned_data
        cameras = {i: data[f"cam{i}"] for i in range(ZONE_ROWS) if data.get(f"cam{i}")}
        return k.Overrides(
            cameras=cameras, recorder=data.get("recorder"), disk=data.get("disk"), switch=data.get("switch")
        )

    def answers(self, *, keep_swaps: bool = True) -> dict:
        """The cleaned answers as plain values, to put in links, hidden fields and a saved configuration."""
        result = {}
        for name, value in self.cleaned_data.items():
            if not keep_swaps and (name in SWAP_FIELDS or name.startswith("cam")):
                continue
            if value is None or value == "" or value is False:
                continue
            if hasattr(value, "pk"):
                value = value.pk
            result[name] = "on" if value is True else str(value)
        return result


def default_answers(*, region_id: int | None) -> dict:
    """The answers a first visit starts from: the form's initial values in the visitor's region."""
    form = ConfiguratorForm()
    answers = {}
    for name, field in form.fields.items():
        value = form.get_initial_for_field(field, name)
        if value is None or value is False:
            continue
        answers[name] = "on" if value is True else str(value)
    if region_id:
        answers["region"] = str(region_id)
    return answers
