# thidua-bot: the bot and its scheduler in one process, SQLite in the /data volume by default.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DATABASE_URL=sqlite:////data/thidua.db \
    MPLCONFIGDIR=/tmp/matplotlib

# LibreOffice turns the conference's papers into PDF, which phones preview inline; Liberation
# Serif has Times New Roman's metrics, so the pages break where Word breaks them.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libreoffice-writer-nogui fonts-liberation2 \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 thidua && mkdir /data && chown thidua /data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY scheduler ./scheduler
COPY examples ./examples
RUN pip install .

USER thidua
VOLUME ["/data"]
CMD ["thidua", "run"]
