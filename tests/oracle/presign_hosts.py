#!/usr/bin/env python3
"""Record botocore's presigned-URL hosts and credential scopes for boto-rs's presign test.

For six services (one simple operation each), one region of every partition in botocore's
partitions.json (plus us-east-1, where global endpoints differ from the rest of `aws`), and
three modes (plain, AWS_USE_FIPS_ENDPOINT=true, AWS_USE_DUALSTACK_ENDPOINT=true, set through
the environment of a fresh botocore Session), calls botocore's `generate_presigned_url` with
fake credentials and no config files, and records the URL's host and the region and service
of its X-Amz-Credential scope, or botocore's error (message, exception name, and whether it came
from creating the client or from presigning) when it refuses the configuration.

S3 is presigned with `signature_version="s3v4"` and virtual-hosted addressing: botocore's
default S3 presign is SigV2 on the global endpoint, which boto-rs does not produce.

Each case also records what botocore's endpoint rule set alone gives for the same inputs
(`rules_host`, `rules_scope_region`, `rules_scope_service`, from botocore's EndpointProvider with
the service's endpoint-rule-set-1.json): botocore's presigning still takes a few answers from its
older endpoints.json (it refuses dual-stack where that file lists no dual-stack endpoint, and
signs presigned URLs for the region that file gives), and boto-rs follows the rule sets only.

The output (a JSON list sorted by service, region and mode) is read by tests/presign_hosts.rs.

Run:  python3 tests/oracle/presign_hosts.py tests/data/presign_hosts.json
"""
import json
import os
import sys
from urllib.parse import parse_qs, urlsplit

import botocore
import botocore.session
from botocore.config import Config
from botocore.endpoint_provider import EndpointProvider
from botocore.loaders import Loader

BOTOCORE_VERSION = '1.43.11'

# One region per partition, and us-east-1 for the `aws` partition's global endpoints.
REGIONS = (
    'us-east-1',
    'us-west-2',
    'cn-north-1',
    'us-gov-west-1',
    'us-iso-east-1',
    'us-isob-east-1',
    'eu-isoe-west-1',
    'us-isof-south-1',
    'eusc-de-east-1',
)

# Mode name -> environment variables added to the isolated environment.
MODES = {
    'plain': {},
    'fips': {'AWS_USE_FIPS_ENDPOINT': 'true'},
    'dualstack': {'AWS_USE_DUALSTACK_ENDPOINT': 'true'},
}

# Service -> (botocore operation name, parameters).
OPERATIONS = {
    'ec2': ('DescribeRegions', {}),
    'iam': ('ListUsers', {}),
    'sts': ('GetCallerIdentity', {}),
    's3': ('GetObject', {'Bucket': 'examplebucket', 'Key': 'k'}),
    'sqs': ('ListQueues', {}),
    'dynamodb': ('ListTables', {}),
}

# The environment every session sees: nothing from this machine's AWS settings.
BASE_ENV = {
    'AWS_CONFIG_FILE': '/dev/null',
    'AWS_SHARED_CREDENTIALS_FILE': '/dev/null',
}


def check_partitions_covered():
    """Every partition botocore knows must have a region in REGIONS, or the table is stale."""
    path = os.path.join(os.path.dirname(botocore.__file__), 'data', 'partitions.json')
    with open(path) as f:
        partitions = json.load(f)['partitions']
    missing = [
        p['id']
        for p in partitions
        if not any(region in p['regions'] for region in REGIONS)
    ]
    if missing:
        sys.exit('no region chosen for partition(s): ' + ', '.join(missing))


def set_environment(extra):
    """Replaces every AWS_ variable of the process with BASE_ENV plus `extra`."""
    for name in [n for n in os.environ if n.startswith('AWS_')]:
        del os.environ[name]
    os.environ.update(BASE_ENV)
    os.environ.update(extra)


def rule_set_answer(service, region, mode):
    """What the service's rule set gives for the case's parameters, as botocore evaluates it
    (built-ins as a client without other configuration sets them)."""
    loader = Loader()
    ruleset = loader.load_service_model(service, 'endpoint-rule-set-1')
    partitions = loader.load_data('partitions')
    model = loader.load_service_model(service, 'service-2')
    params = {
        'Region': region,
        'UseFIPS': mode == 'fips',
        'UseDualStack': mode == 'dualstack',
    }
    if service == 's3':
        params.update(
            Bucket=OPERATIONS['s3'][1]['Bucket'],
            Key=OPERATIONS['s3'][1]['Key'],
            ForcePathStyle=False,
            Accelerate=False,
            UseGlobalEndpoint=region == 'us-east-1',
        )
    if service == 'sts':
        params['UseGlobalEndpoint'] = False
    known = set(ruleset['parameters'])
    params = {k: v for k, v in params.items() if k in known}
    try:
        e = EndpointProvider(ruleset, partitions).resolve_endpoint(**params)
    except Exception as err:
        return {'rules_error': str(err)}
    scheme = (e.properties.get('authSchemes') or [{}])[0]
    metadata = model['metadata']
    return {
        'rules_host': urlsplit(e.url).netloc,
        'rules_scope_region': scheme.get('signingRegion', region),
        'rules_scope_service': scheme.get(
            'signingName', metadata.get('signingName', metadata['endpointPrefix'])
        ),
    }


def presign(service, region, mode):
    """One case: the host and credential scope of botocore's presigned URL, or its error."""
    set_environment(MODES[mode])
    operation, params = OPERATIONS[service]
    case = {'service': service, 'region': region, 'mode': mode, 'operation': operation}
    case.update(rule_set_answer(service, region, mode))
    config = None
    if service == 's3':
        config = Config(signature_version='s3v4', s3={'addressing_style': 'virtual'})
    # Where botocore refuses matters: creating the client checks the variant against the legacy
    # endpoints.json, presigning evaluates the rule set.
    stage = 'client'
    try:
        # A fresh session reads the environment set above.
        session = botocore.session.Session()
        client = session.create_client(
            service,
            region_name=region,
            aws_access_key_id='AKIDEXAMPLE',
            aws_secret_access_key='SECRET',
            config=config,
        )
        stage = 'presign'
        method = client.meta.method_to_api_mapping
        name = next(k for k, v in method.items() if v == operation)
        url = client.generate_presigned_url(name, Params=params, ExpiresIn=3600)
    except Exception as e:  # botocore refuses the configuration: that is the expectation
        case['error'] = str(e)
        case['error_type'] = type(e).__name__
        case['error_stage'] = stage
        return case
    parts = urlsplit(url)
    credential = parse_qs(parts.query)['X-Amz-Credential'][0].split('/')
    # AKID/date/region/service/aws4_request
    if len(credential) != 5 or credential[4] != 'aws4_request':
        sys.exit(f'{service} {region} {mode}: unexpected credential {credential}')
    case['host'] = parts.netloc
    case['scope_region'] = credential[2]
    case['scope_service'] = credential[3]
    return case


def main():
    if len(sys.argv) != 2:
        sys.exit('usage: presign_hosts.py OUT.json')
    if botocore.__version__ != BOTOCORE_VERSION:
        sys.exit(f'botocore {BOTOCORE_VERSION} is the reference, found {botocore.__version__}')
    check_partitions_covered()
    saved = dict(os.environ)
    try:
        cases = [
            presign(service, region, mode)
            for service in OPERATIONS
            for region in REGIONS
            for mode in MODES
        ]
    finally:
        os.environ.clear()
        os.environ.update(saved)
    cases.sort(key=lambda c: (c['service'], c['region'], c['mode']))
    with open(sys.argv[1], 'w') as f:
        json.dump(cases, f, indent=2, sort_keys=True)
        f.write('\n')
    errors = sum('error' in c for c in cases)
    print(f'{len(cases)} cases ({errors} botocore errors) written to {sys.argv[1]}')


if __name__ == '__main__':
    main()
