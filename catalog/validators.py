from django.core.exceptions import ValidationError

MAX_IMAGE_BYTES = 10 * 1024 * 1024
IMAGE_TOO_LARGE = "Изображение больше 10 МБ: уменьшите его и загрузите снова."


def validate_image_size(file):
    """Refuse images over 10 MB."""
    if file.size > MAX_IMAGE_BYTES:
        raise ValidationError(IMAGE_TOO_LARGE, code="image_too_large")
