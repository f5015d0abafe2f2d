import warnings

from django.core.exceptions import ValidationError
from PIL import Image

MAX_IMAGE_BYTES = 10 * 1024 * 1024
IMAGE_TOO_LARGE = "Изображение больше 10 МБ: уменьшите его и загрузите снова."
# A 12 000 × 12 000 picture of one colour is a few hundred kilobytes on disk and 580 MB once decoded.
MAX_IMAGE_PIXELS = 40_000_000
IMAGE_TOO_MANY_PIXELS = "Изображение больше 40 мегапикселей: уменьшите его и загрузите снова."
IMAGE_BROKEN = "Файл изображения повреждён или обрезан: сохраните его заново и загрузите снова."


def validate_image_size(file):
    """Refuse images over 10 MB."""
    if file.size > MAX_IMAGE_BYTES:
        raise ValidationError(IMAGE_TOO_LARGE, code="image_too_large")


def validate_image_content(file):
    """Refuse images over 40 megapixels (read from the header, before decoding) and any that do not decode whole."""
    source = getattr(file, "file", None) or file
    position = source.tell() if hasattr(source, "tell") else 0
    try:
        source.seek(0)
        with warnings.catch_warnings():
            # Pillow's own warning comes at 89 megapixels; the limit below is lower and says so in Russian.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(source) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise ValidationError(IMAGE_TOO_MANY_PIXELS, code="image_too_many_pixels")
                image.load()
    except ValidationError:
        raise
    except Image.DecompressionBombError as error:
        raise ValidationError(IMAGE_TOO_MANY_PIXELS, code="image_too_many_pixels") from error
    except Exception as error:
        # Pillow reports a broken file as OSError, SyntaxError, ValueError and more, depending on the format.
        raise ValidationError(IMAGE_BROKEN, code="image_broken") from error
    finally:
        source.seek(position)
