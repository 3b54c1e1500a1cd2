"""LOG_FORMAT=json: each record is one JSON object with the message and the scalar extras (ids,
counts); objects such as the request are left out."""

import json
import logging
import sys

from congdongso.common.logs import JsonFormatter


def _record(**extra) -> logging.LogRecord:
    record = logging.LogRecord("congdongso.x", logging.WARNING, __file__, 1, "job %s failed", ("42",), None)
    record.__dict__.update(extra)
    return record


def test_a_record_is_one_json_line_with_its_scalar_extras():
    line = JsonFormatter().format(_record(status_code=404, household_id="01a2", request=object()))
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "job 42 failed" and entry["level"] == "WARNING" and entry["logger"] == "congdongso.x"
    assert entry["status_code"] == 404 and entry["household_id"] == "01a2"
    assert "request" not in entry and entry["time"].endswith("+00:00")


def test_an_exception_is_kept_as_text():
    try:
        raise ValueError("bad")
    except ValueError:
        record = _record()
        record.exc_info = sys.exc_info()
    assert "ValueError: bad" in json.loads(JsonFormatter().format(record))["exception"]
