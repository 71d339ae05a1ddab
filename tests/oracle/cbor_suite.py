"""Writes a protocol-test suite (the format of tests/protocol) for cloudwatch spoken in
smithy-rpc-v2-cbor, with botocore's serializer as the oracle: each case's `serialized` request is
what botocore builds for its `params`. The suite goes to the path given as the first argument.
"""

import base64
import json
import sys

import botocore.session
from botocore.model import ServiceModel
from botocore.serialize import create_serializer

CALLS = [
    ("PutMetricData", {
        "Namespace": "App/Orders",
        "MetricData": [
            {"MetricName": "Latency", "Dimensions": [{"Name": "Stage", "Value": "prod \u00e9"}],
             "Timestamp": 1767323045, "Value": 12.5, "Unit": "Milliseconds",
             "StorageResolution": 1},
            {"MetricName": "Sizes", "Values": [1.0, 2.5, -3.25], "Counts": [3.0, 1.0, 2.0],
             "StatisticValues": {"SampleCount": 6.0, "Sum": 0.25, "Minimum": -3.25,
                                 "Maximum": 2.5}},
        ],
    }),
    ("GetMetricData", {
        "MetricDataQueries": [
            {"Id": "q1", "MetricStat": {
                "Metric": {"Namespace": "App/Orders", "MetricName": "Latency",
                           "Dimensions": [{"Name": "Stage", "Value": "prod"}]},
                "Period": 60, "Stat": "p99"}, "ReturnData": True},
            {"Id": "q2", "Expression": "q1 * 2", "Label": "doubled", "ReturnData": False},
        ],
        "StartTime": 1767319445,
        "EndTime": 1767323045,
        "ScanBy": "TimestampDescending",
        "MaxDatapoints": 100000,
    }),
    ("PutMetricAlarm", {
        "AlarmName": "latency-high",
        "MetricName": "Latency",
        "Namespace": "App/Orders",
        "Statistic": "Average",
        "Period": 300,
        "EvaluationPeriods": 3,
        "Threshold": 250.0,
        "ComparisonOperator": "GreaterThanThreshold",
        "ActionsEnabled": False,
        "Tags": [{"Key": "team", "Value": "orders"}],
    }),
    ("DescribeAlarms", {"AlarmNames": ["latency-high"], "MaxRecords": 10}),
    ("ListDashboards", {}),
]


def main():
    loader = botocore.session.get_session().get_component("data_loader")
    model = loader.load_service_model("cloudwatch", "service-2")
    model["metadata"]["protocol"] = "smithy-rpc-v2-cbor"
    service = ServiceModel(model, "cloudwatch")
    serializer = create_serializer("smithy-rpc-v2-cbor", include_validation=False)
    cases = []
    for name, params in CALLS:
        request = serializer.serialize_to_request(params, service.operation_model(name))
        headers = {k: v for k, v in request["headers"].items()}
        cases.append({
            "id": f"cloudwatch_cbor_{name}",
            "given": dict(model["operations"][name], name=name),
            "params": params,
            "serialized": {
                "method": request["method"],
                "uri": request["url_path"],
                "body": base64.b64encode(request["body"]).decode(),
                "headers": headers,
            },
        })
    suite = [{
        "description": "cloudwatch over smithy-rpc-v2-cbor, serialised by botocore",
        "metadata": model["metadata"],
        "shapes": model["shapes"],
        "cases": cases,
    }]
    with open(sys.argv[1], "w") as f:
        json.dump(suite, f)


main()
