# One image for web, worker and beat. Front-end assets are built in the first stage.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend ./frontend
RUN node frontend/build.mjs

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=ras.settings.production
WORKDIR /app
COPY requirements/lock.txt requirements/lock.txt
RUN pip install --no-cache-dir --require-hashes -r requirements/lock.txt
COPY . .
COPY --from=assets /app/static/build ./static/build
RUN SECRET_KEY=build-only ALLOWED_HOSTS=localhost python manage.py collectstatic --no-input
RUN useradd --create-home ras
USER ras
EXPOSE 8000
CMD ["gunicorn", "ras.wsgi", "--bind", "0.0.0.0:8000", "--workers", "2", "--access-logfile", "-"]
