# The screening server (receivers and workers) as a container image.
#
#   docker build -t screening .
#   docker run --rm -p 8080:8080 -v ./screening.toml:/etc/screening/screening.toml:ro \
#       --env-file screening.env screening
#
# Slim base, a virtual environment built in a separate stage (no compiler or pip cache in the
# final image), the `server`, `postgres` and `documents` extras at the versions pinned in
# deploy/constraints.txt, and a non-root user. The same image runs `screening serve` (default
# command) and `screening worker` (compose.yaml). Built and run with Docker 20.10 against
# PostgreSQL, from a stand-in bookworm base (Docker Hub was out of reach): docs/deployment.md.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_CONSTRAINT=/src/constraints.txt
WORKDIR /src
COPY pyproject.toml README.md CHANGELOG.md ./
COPY screening ./screening
COPY rules ./rules
COPY templates ./templates
COPY deploy/constraints.txt ./constraints.txt
# PIP_CONSTRAINT also pins the isolated build environment (hatchling)
RUN python -m venv /opt/screening \
 && /opt/screening/bin/pip install ".[server,postgres,documents]"

FROM ${PYTHON_IMAGE}
RUN groupadd --system --gid 10001 screening \
 && useradd --system --uid 10001 --gid screening --home-dir /var/lib/screening \
        --create-home --shell /usr/sbin/nologin screening
COPY --from=build /opt/screening /opt/screening
ENV PATH=/opt/screening/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    SCREENING_CONFIG=/etc/screening/screening.toml \
    SCREENING_STORE__PATH=/var/lib/screening/screening.sqlite3 \
    SCREENING_LISTS__DIR=/var/lib/screening/lists
USER screening:screening
WORKDIR /var/lib/screening
VOLUME ["/var/lib/screening"]
EXPOSE 8080
ENTRYPOINT ["screening"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8080"]
