// The bench's Dockerfile: a two-stage Python build of 29 lines that follows most of the shipped practices.
export const STAGE = `FROM python:3.12-slim@sha256:${'a'.repeat(64)} AS build
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /src
RUN apt-get update \\
    && apt-get install -y --no-install-recommends build-essential=12.9 libpq-dev=15.8-0 \\
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
COPY requirements.txt .
RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt
COPY . .
RUN python -m compileall -q app

FROM python:3.12-slim@sha256:${'b'.repeat(64)}
ARG UID=10001
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH=/opt/venv/bin:$PATH
WORKDIR /app
RUN groupadd --system app && useradd --system --no-log-init --uid \${UID} --gid app app
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=app:app /src/app ./app
COPY --chown=app:app gunicorn.conf.py ./
LABEL org.opencontainers.image.source="https://example.com/app" \\
      org.opencontainers.image.licenses="MIT"
USER \${UID}
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/healthz')"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["gunicorn"]
CMD ["--config", "gunicorn.conf.py", "app.wsgi:app"]
`

/** The stage ten times over, each build stage named apart: about 300 lines. */
export const LARGE = Array.from({ length: 10 }, (_, i) => STAGE.replace(' AS build', ` AS build${i}`)).join('\n')
