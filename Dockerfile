# ldl-inbox: the daemon (`ldl run`) in a slim image, running as a non-root user.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    LDL_DATA_DIR=/data

# Text of .doc attachments (antiword, catdoc), scanned PDFs and images (poppler, Tesseract
# with the Vietnamese model).
RUN apt-get update \
 && apt-get install -y --no-install-recommends antiword catdoc poppler-utils \
      tesseract-ocr tesseract-ocr-vie \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY ldl ./ldl
COPY config ./config
COPY storage ./storage
COPY ingest ./ingest
COPY scheduler ./scheduler
RUN pip install '.[ocr]'

RUN useradd --system --create-home --home-dir /home/ldl --uid 10001 ldl \
 && mkdir -p /data && chown ldl /data
USER ldl
VOLUME ["/data"]
WORKDIR /data

HEALTHCHECK --interval=5m --timeout=30s --start-period=10m --retries=2 CMD ["ldl", "health"]

# `ldl init` is harmless when the schema is current; it upgrades it after an update.
CMD ["sh", "-c", "ldl init && exec ldl run"]
