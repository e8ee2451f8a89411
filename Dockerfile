# syntax=docker/dockerfile:1
# peerbot: docs/operations.md ("Run it in a container"). Build: docker build -t peerbot .
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# ---- build: a virtualenv with the pinned dependencies, then peerbot itself ----------
FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
WORKDIR /src
RUN python -m venv /opt/peerbot
COPY requirements.lock ./
RUN /opt/peerbot/bin/pip install --require-hashes --no-deps -r requirements.lock
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY adapters ./adapters
COPY jobs ./jobs
RUN /opt/peerbot/bin/pip install --no-deps . \
    && /opt/peerbot/bin/peerbot --version

# ---- runtime: the virtualenv only, as an unprivileged user, data on a volume --------
FROM ${PYTHON_IMAGE} AS runtime
RUN groupadd --system --gid 10001 peerbot \
    && useradd --system --uid 10001 --gid peerbot --home-dir /data --no-create-home \
       --shell /usr/sbin/nologin peerbot \
    && mkdir -p /data && chown peerbot:peerbot /data && chmod 0700 /data
COPY --from=build /opt/peerbot /opt/peerbot
ENV PATH=/opt/peerbot/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PEERBOT_BOT__DATABASE=/data/peerbot.sqlite \
    PEERBOT_MONITORING__HOST=0.0.0.0 \
    PEERBOT_MONITORING__PORT=9464 \
    PEERBOT_LOGGING__FORMAT=json
WORKDIR /data
VOLUME ["/data"]
USER 10001:10001
EXPOSE 9464
# Ready = database writable, platform connected, scheduler running, outbox not stuck.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=4 \
    CMD ["python", "-c", "import os, sys, urllib.request; port = os.environ.get('PEERBOT_MONITORING__PORT', '9464'); sys.exit(0 if urllib.request.urlopen(f'http://127.0.0.1:{port}/readyz', timeout=4).status == 200 else 1)"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["peerbot"]
CMD ["run"]
