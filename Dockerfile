# The shop's image for web, worker and beat (docker-compose.yml). Everything is installed at build time.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint renders the order documents with Pango and needs a Cyrillic font; pg_dump/pg_restore for backups.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /srv/shop --shell /usr/sbin/nologin shop

WORKDIR /srv/shop/app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# Static files are collected into the image; WhiteNoise serves them. Settings need no secret for this step.
RUN DJANGO_SETTINGS_MODULE=shop.settings.local python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p /srv/shop/media /srv/shop/private_media \
    && chown -R shop:shop /srv/shop/media /srv/shop/private_media

ENV MEDIA_ROOT=/srv/shop/media \
    PRIVATE_MEDIA_ROOT=/srv/shop/private_media \
    GUNICORN_BIND=0.0.0.0:8000
USER shop
EXPOSE 8000
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py", "shop.wsgi:application"]
