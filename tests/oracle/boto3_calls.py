"""boto3 as the oracle for the end-to-end tests: reads one JSON request per line on stdin and
answers each with one JSON line on stdout.

A request is {"service": "kms", "op": "CreateKey", "params": {...}} (a binary parameter given as
{"$blob": "<base64>"}) and may add
"paginate": true (every page of the operation's paginator, as a list) or "region". The answer is
{"output": {...}} or {"error": {"code": ..., "message": ..., "status": ...}}. Outputs are shown as
the tests show boto-rs's: ResponseMetadata left out, timestamps as epoch seconds, blobs and
streams as UTF-8 text, an event stream as the list of its events (an exception event that ends
it as a last {"$error": {"code": ..., "message": ...}}).

Each output object (each page, when paginating) also carries, under "$serde" when it is not empty,
boto3's dict in the JSON form boto-rs's generated types serialise to: timestamps as ISO 8601 UTC
text with 0, 3 or 6 fractional digits, blobs as base64, special floats as strings, streaming
bodies and event streams left out, ResponseMetadata removed.

The endpoint comes from the first command-line argument. With ORACLE_PROTOCOL set (to
`smithy-rpc-v2-cbor`, say), every service model is loaded speaking that protocol only.
"""

import base64
import datetime
import json
import os
import sys

import boto3
import botocore.exceptions
from botocore import xform_name
from botocore.config import Config
from botocore.eventstream import EventStream
from botocore.response import StreamingBody


def plain(value):
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        secs = value.timestamp()
        return int(secs) if secs == int(secs) else secs
    if isinstance(value, EventStream):
        events = []
        try:
            for event in value:
                events.append(plain(event))
        except botocore.exceptions.EventStreamError as e:
            err = e.response.get("Error", {})
            events.append({"$error": {"code": err.get("Code"), "message": err.get("Message")}})
        return events
    if isinstance(value, StreamingBody):
        return value.read().decode("utf-8", "replace")
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", "replace")
    return value


def iso(value):
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    value = value.astimezone(datetime.timezone.utc)
    text = "%04d-%s" % (value.year, value.strftime("%m-%dT%H:%M:%S"))
    us = value.microsecond
    if us:
        text += ".%03d" % (us // 1000) if us % 1000 == 0 else ".%06d" % us
    return text + "Z"


def serde_form(value):
    if isinstance(value, dict):
        return {
            k: serde_form(v)
            for k, v in value.items()
            # A None (GetBucketLocation's us-east-1 constraint) is unset, as serde shows it.
            if k != "ResponseMetadata"
            and v is not None
            and not isinstance(v, (EventStream, StreamingBody))
        }
    if isinstance(value, list):
        return [serde_form(v) for v in value]
    if isinstance(value, datetime.datetime):
        return iso(value)
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, float) and value != value:
        return "NaN"
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return value


def shown(output, shape):
    """plain(output), with the serde form beside it under "$serde" (when not empty).

    botocore reads any blob payload as a stream; one the model does not mark streaming is a
    buffered blob in boto-rs, which serialises it, so its bytes are read once and shown in both.
    """
    for name, value in list(output.items()):
        member = shape.members.get(name) if shape is not None else None
        if (
            isinstance(value, StreamingBody)
            and member is not None
            and not member.serialization.get("streaming")
        ):
            output[name] = value.read()
    form = serde_form(output)
    out = plain(output)
    if form and isinstance(out, dict):
        out["$serde"] = form
    return out


def params_from_json(value):
    """Parameters as boto3 takes them: {"$blob": base64} becomes bytes."""
    if isinstance(value, dict):
        if set(value) == {"$blob"}:
            return base64.b64decode(value["$blob"])
        return {k: params_from_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [params_from_json(v) for v in value]
    return value


def main():
    url = sys.argv[1]
    session = boto3.Session(
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    protocol = os.environ.get("ORACLE_PROTOCOL")
    if protocol:
        loader = session._session.get_component("data_loader")
        load = loader.load_service_model

        def with_protocol(name, type_name, api_version=None):
            model = load(name, type_name, api_version)
            if type_name == "service-2":
                meta = dict(model["metadata"], protocol=protocol, protocols=[protocol])
                model = dict(model, metadata=meta)
            return model

        loader.load_service_model = with_protocol
    clients = {}
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        key = (req["service"], req.get("region", "us-east-1"))
        if key not in clients:
            clients[key] = session.client(
                req["service"],
                region_name=key[1],
                endpoint_url=url,
                config=Config(retries={"total_max_attempts": 1}),
            )
        client = clients[key]
        name = xform_name(req["op"])
        params = params_from_json(req.get("params") or {})
        shape = client.meta.service_model.operation_model(req["op"]).output_shape
        try:
            if req.get("paginate"):
                pages = client.get_paginator(name).paginate(**params)
                answer = {"output": [shown(p, shape) for p in pages]}
            else:
                answer = {"output": shown(getattr(client, name)(**params), shape)}
        except botocore.exceptions.ClientError as e:
            err = e.response.get("Error", {})
            answer = {
                "error": {
                    "code": err.get("Code"),
                    "message": err.get("Message"),
                    "status": e.response.get("ResponseMetadata", {}).get("HTTPStatusCode"),
                }
            }
        except Exception as e:  # a parameter boto3 rejects: the test shows it
            answer = {"failure": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(answer, default=str) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
