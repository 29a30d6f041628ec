"""The admin API (FastAPI, under ``/api/v1``): ``docs/api.md``."""
