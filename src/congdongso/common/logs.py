"""Structured logs: one JSON object per line, ids only.

Messages in this project name things by id ("report job %s failed"), never by a person's name or
phone (audit/tests/test_no_personal_data_in_logs.py runs the main journeys and checks). This
formatter keeps them machine-readable: the time, level, logger and message, plus any scalar values
passed with `extra=` (ids, counts, status codes). Objects such as Django's `request` are left out:
their text could carry a query string, a form value or a header.
"""

import datetime as dt
import json
import logging

# Attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD = set(logging.LogRecord("x", logging.INFO, "x", 0, "", (), None).__dict__) | {"message", "asctime"}
_SCALARS = (str, int, float, bool, type(None))


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_") and isinstance(value, _SCALARS):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
