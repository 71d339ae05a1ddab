#!/usr/bin/env python3
"""Generate botocore-oracle protocol test cases for boto-rs.

Reads the public suites in tests/protocol, generates new params / responses for their
operations, computes the expectation with the installed botocore (mirroring botocore's
tests/unit/test_protocols.py), and writes botocore-format files to OUT/<batch>/<key>.json.

Batches:
  main         ordinary cases
  ignored_ops  operations whose public suite has an ignore-listed case (botocore deviates there)
  quirks       behaviours the public conventions exclude on purpose (5xx + empty body generic
               errors, awsJson error code from header/"code", timestamps in a format other than
               the modeled one)

Run:  python3 tests/oracle/gen.py OUT && cargo xtask protocol-tests OUT/main

Known, deliberate difference in OUT/main: `float` members hold an f32.
"""
import base64
import copy
import datetime
import glob
import http.client
import json
import math
import os
import random
import shutil
import zlib
from collections import OrderedDict
from email.utils import formatdate

from botocore import parsers, serialize
from botocore.awsrequest import HeadersDict, prepare_request_dict
from botocore.compat import urlsplit
from botocore.model import NoShapeFoundError, OperationModel, ServiceModel
from botocore.utils import parse_timestamp, percent_encode_sequence
from dateutil.tz import tzutc

import sys

SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'protocol')
if len(sys.argv) != 2:
    sys.exit('usage: gen.py OUT_DIR')
OUT = sys.argv[1]
PROTOS = ('ec2', 'query', 'json', 'rest-json', 'rest-xml')
SER = {
    'ec2': serialize.EC2Serializer,
    'query': serialize.QuerySerializer,
    'json': serialize.JSONSerializer,
    'rest-json': serialize.RestJSONSerializer,
    'rest-xml': serialize.RestXMLSerializer,
}
PAR = {
    'ec2': parsers.EC2QueryParser,
    'query': parsers.QueryParser,
    'json': parsers.JSONParser,
    'rest-json': parsers.RestJSONParser,
    'rest-xml': parsers.RestXMLParser,
}
IGNORE = json.load(open(os.path.join(SRC, 'protocol-tests-ignore-list.json')))
IGNORED_SUITES = set(IGNORE['general']['input']['suites'])
IGNORED_CASES = {'input': set(), 'output': set()}
for _p, _d in IGNORE['protocols'].items():
    for _k, _dir in _d.items():
        IGNORED_CASES[_k] |= set(_dir.get('cases', []))

BATCHES = {}  # batch -> key -> list of suites
STATS = {'input': 0, 'output': 0, 'skipped_botocore_error': 0}


def add_suite(batch, key, suite):
    if suite['cases']:
        BATCHES.setdefault(batch, {}).setdefault(key, []).append(suite)


def rng_for(*parts):
    return random.Random(zlib.crc32('|'.join(map(str, parts)).encode()))


# --------------------------------------------------------------------------------------------
# botocore runner mirror
# --------------------------------------------------------------------------------------------

def build_model(suite, given):
    sd = copy.deepcopy({k: v for k, v in suite.items() if k != 'cases'})
    sd['operations'] = {given.get('name', 'OperationName'): copy.deepcopy(given)}
    model = ServiceModel(sd)
    op = OperationModel(copy.deepcopy(given), model)
    return model, op


def special_in(params):
    out = OrderedDict()
    for k, v in params.items():
        if isinstance(v, str) and v in ('NaN', 'Infinity', '-Infinity'):
            v = float(v)
        out[k] = v
    return out


def botocore_serialize(proto, suite, given, params):
    model, op = build_model(suite, given)
    s = SER[proto]()
    s.MAP_TYPE = OrderedDict
    req = s.serialize_to_request(special_in(copy.deepcopy(params)), op)
    if isinstance(req.get('body'), dict):
        req['body'] = percent_encode_sequence(req['body']).encode('utf-8')
    if isinstance(req.get('query_string'), dict):
        enc = percent_encode_sequence(req['query_string'])
        if enc:
            req['url_path'] += ('&' if '?' in req['url_path'] else '?') + enc
    if not isinstance(req['body'], bytes):
        raise ValueError('body not bytes')
    ser = OrderedDict()
    ser['method'] = req['method']
    ser['uri'] = req['url_path']
    headers = OrderedDict()
    for k, v in req['headers'].items():
        if k.lower() == 'content-type':
            if proto in ('query', 'ec2'):
                v = v.replace('; charset=utf-8', '')
            elif proto == 'rest-xml':
                continue
            elif proto == 'rest-json' and v != 'application/json':
                continue
        headers[k] = v
    ser['headers'] = headers
    ser['body'] = req['body'].decode('utf-8')
    endpoint = suite.get('clientEndpoint')
    if endpoint and 'host_prefix' in req:
        r2 = copy.deepcopy(req)
        prepare_request_dict(r2, endpoint)
        ser['host'] = urlsplit(r2['url']).netloc
    return ser


def ts_parser(value):
    dt = parse_timestamp(value)
    dt = dt.astimezone(tzutc())
    return dt.timestamp()


def bytes_to_str(v):
    if isinstance(v, dict):
        return {k: bytes_to_str(x) for k, x in v.items()}
    if isinstance(v, list):
        return [bytes_to_str(x) for x in v]
    if isinstance(v, bytes):
        return v.decode('utf-8')
    return v


def fixup(parsed):
    parsed.pop('ResponseMetadata', None)
    parsed = bytes_to_str(parsed)
    if 'Error' in parsed:
        for k in list(parsed['Error']):
            if k not in ('Code', 'Message'):
                del parsed['Error'][k]
    for k, v in list(parsed.items()):
        if isinstance(v, float):
            if v == float('inf'):
                parsed[k] = 'Infinity'
            elif v == float('-inf'):
                parsed[k] = '-Infinity'
            elif v != v:
                parsed[k] = 'NaN'
    return parsed


def botocore_parse(proto, suite, given, response, is_error):
    model, op = build_model(suite, given)
    name = given.get('name', 'OperationName')
    parser = PAR[proto](timestamp_parser=ts_parser)
    r = {
        'status_code': response['status_code'],
        'headers': HeadersDict(response.get('headers', {})),
        'body': response['body'].encode('utf-8') if 'body' in response
        else (b'' if proto != 'query' else b'<xml/>'),
        'context': {'operation_name': name},
    }
    if is_error:
        parsed = parser.parse(r, op.output_shape)
        code = parsed.get('Error', {}).get('Code')
        try:
            es = model.shape_for_error_code(code)
        except NoShapeFoundError:
            es = None
        if es is not None:
            parsed.update(parser.parse(r, es))
    else:
        out = op.output_shape
        if proto == 'query' and out is not None and out.members:
            out.serialization['resultWrapper'] = f'{name}Result'
        parsed = parser.parse(r, out)
    return fixup(parsed)


def strict_json(v):
    json.dumps(v, allow_nan=False)
    return v


# --------------------------------------------------------------------------------------------
# value generation
# --------------------------------------------------------------------------------------------

S_BASIC = ['foo', 'bar', 'baz', 'qux', 'hello world']
S_TRICKY = ['a b', 'a+b=c&d', '100%', '50%25', 'x/y/z', 'q?x#y', 'ünïcödé', '😀🎉', 'tab\there',
            'line\nbreak', '<tag a="v">&amp;</tag>', '  padded  ', "'single' \"double\"",
            '~!@$^*()_-+[]{}|;:,.', 'back\\slash', '\u00a0nbsp\u2028ls', 'mixed 日本語 text',
            'a;b=c', 'é/ü?ö#ä&ß=', ' ', '=', '&']
S_UNICODE = ['ünïcödé', '😀🎉', '日本語', 'Ελληνικά', 'עברית', 'emoji 👩‍👩‍👧 zwj', '\u00e9\u0301']
S_HEADER = ['a b', 'a;b=c', 'x/y?z#w', '100%', 'tilde~star*', 'quote"in', 'equals=sign',
            'a,b', 'colon: value', "apos'trophe"]
S_HEADER_LIST = ['a b', 'x/y', 'semi;colon', 'equals=sign', 'star*']
S_URI = ['a b', 'a+b', '100%', 'a/b', 'a?b', 'a#b', 'a&b=c', 'ü😀', '~-._', "*'()!$,;:@",
         'x y/z', '%2F', '..', '.', 'colon:here', '[brackets]']
S_GREEDY = ['a/b/c d', 'path/with+plus/ü', '/leading/slash', 'trailing/', 'a//b', 'x%y/z?w#v',
            'dot/../seg', '~user/.hidden']
S_HOSTLABEL = ['abc-123', 'foo.bar', 'A1']
MAPKEYS_BASIC = ['k1', 'k2', 'k3']
MAPKEYS_TRICKY = ['a b', 'c&d=e', 'ü', 'x.y', 'key/with/slash', '1', '']
HDR_KEYS = ['Foo', 'bar-baz', 'X-Mixed-Case', 'abc']

TS_BASIC = [1422172800, 1576540098, 0]
TS_FRAC = [1422172800.123, 1422172800.5, 1576540098.001, 1422172800.999, 1422172800.25,
           -86400.5, 4102444800.75, 253402300799, 1422172800.000001, 1.5]
FLOATS_BASIC = [1.5, 2.25, -3.5, 0.0]
FLOATS_ODD = [0.1, 1e-05, 1e+16, 3.0, -0.0, 123456.789, 1.7976931348623157e308, 5e-324,
              2.5e-7, 1e21, 100.0, 0.30000000000000004, 3.4028235e38]
INTS_BIG = {'integer': [2147483647, -2147483648, 0, -1], 'long': [9223372036854775807,
                                                                 -9223372036854775808, 9007199254740993, 0]}


class Gen:
    """Generates values in the params convention (timestamps epoch numbers, blobs str)."""

    def __init__(self, proto, flavor, rng, direction):
        self.proto = proto
        self.flavor = flavor
        self.rng = rng
        self.dir = direction

    def pick(self, pool):
        return pool[self.rng.randrange(len(pool))]

    def string(self, ctx, shape):
        f = self.flavor
        if ctx == 'hostlabel':
            return self.pick(S_HOSTLABEL)
        if shape is not None and getattr(shape, 'enum', None) and f == 'basic':
            return shape.enum[0]
        if ctx == 'header':
            if f == 'empty':
                return ''
            if f in ('tricky',):
                return self.pick(S_HEADER)
            return self.pick(S_BASIC).replace(' ', '-')
        if ctx == 'headerlist':
            if f == 'empty':
                return self.pick(['', 'x'])
            if f == 'tricky':
                return self.pick(S_HEADER_LIST + (['a,b', 'say "hi"'] if self.dir == 'input' else []))
            return self.pick(S_BASIC).replace(' ', '-')
        if ctx == 'uri':
            if f in ('tricky', 'unicode'):
                return self.pick(S_URI if f == 'tricky' else S_UNICODE)
            return self.pick(S_BASIC).replace(' ', '-')
        if ctx == 'greedy':
            if f in ('tricky', 'unicode'):
                return self.pick(S_GREEDY)
            return 'a/b/c'
        if f == 'empty':
            return ''
        if f == 'tricky':
            return self.pick(S_TRICKY)
        if f == 'unicode':
            return self.pick(S_UNICODE)
        return self.pick(S_BASIC)

    def value(self, shape, ctx='body', depth=0, top=False, member_ser=None):
        t = shape.type_name
        f = self.flavor
        ser = member_ser or {}
        if ser.get('idempotencyToken') or shape.metadata.get('idempotencyToken'):
            return '00000000-0000-4000-8000-000000000000'
        if getattr(shape, 'is_document_type', False):
            return self.pick([{'a': [1, 'x', True, None, {'b': 2.5}]}, 'str', 12, [1, 2],
                              {'nested': {'k': 'v', 'empty': {}}}, False])
        if t == 'structure':
            return self.struct(shape, ctx, depth)
        if t == 'list':
            if ctx == 'header':
                n = 0 if f == 'empty' else self.rng.choice([1, 2, 3])
                if n == 0:
                    n = 1
                sub = 'headerlist'
            else:
                n = 0 if f == 'empty' else (self.rng.choice([1, 2, 3]) if depth < 3 else 1)
                sub = ctx
            return [self.value(shape.member, sub, depth + 1) for _ in range(n)]
        if t == 'map':
            if f == 'empty':
                return OrderedDict()
            n = 2 if depth < 3 else 1
            if ctx == 'headers':
                keys = self.rng.sample(HDR_KEYS, n)
            elif f == 'tricky' and ctx not in ('header',):
                keys = self.rng.sample(MAPKEYS_TRICKY, n)
            else:
                keys = MAPKEYS_BASIC[:n]
            if getattr(shape.key, 'enum', None) and f == 'basic':
                keys = shape.key.enum[:n]
            vctx = 'header' if ctx == 'headers' else ctx
            return OrderedDict((k, self.value(shape.value, vctx, depth + 1)) for k in keys)
        if t in ('string', 'character'):
            if ser.get('jsonvalue') or shape.serialization.get('jsonvalue'):
                if ctx == 'header':
                    return self.pick([{'k': 'v'}, {'list': [1, 2], 'b': True}, {'s': 'x y'}])
                return self.pick(['{"k":"v"}', '[1,2]', '"str"'])
            return self.string(ctx, shape)
        if t == 'blob':
            if f == 'empty':
                return ''
            if f in ('tricky', 'unicode'):
                return self.pick(['binary ü😀\n', 'a' * 100, '\u0000\u0001\u007f', '+/=?'])
            return 'blob'
        if t == 'boolean':
            if f == 'empty':
                return False
            return self.rng.choice([True, False])
        if t in ('integer', 'long', 'byte', 'short'):
            if f == 'empty':
                return 0
            if f == 'numbers':
                return self.pick(INTS_BIG['long' if t == 'long' else 'integer'])
            return self.rng.randrange(1, 100)
        if t in ('float', 'double'):
            if f == 'empty':
                return 0.0
            if f == 'special' and top:
                return self.pick(['NaN', 'Infinity', '-Infinity'])
            if f == 'numbers':
                v = self.pick(FLOATS_ODD)
                if t == 'float' and abs(v) > 3.4e38:
                    v = 1e10
                return v
            return self.pick(FLOATS_BASIC)
        if t == 'timestamp':
            if f in ('time', 'numbers', 'tricky'):
                return self.pick(TS_FRAC)
            if f == 'empty':
                return 0
            return self.pick(TS_BASIC)
        raise ValueError(f'type {t}')

    def struct(self, shape, ctx, depth, top=False):
        out = OrderedDict()
        members = list(shape.members.items())
        if shape.is_tagged_union:
            cands = [(n, m) for n, m in members if m.type_name != 'structure' or depth < 3]
            if not cands:
                return out
            n, m = cands[self.rng.randrange(len(cands))]
            out[n] = self.value(m, ctx, depth + 1, member_ser=m.serialization)
            return out
        for n, m in members:
            s = m.serialization
            if m.serialization.get('eventstream') or m.serialization.get('streaming') and m.type_name == 'structure':
                continue
            if depth >= 3 and m.type_name in ('structure', 'list', 'map'):
                continue
            required = (top and (s.get('location') == 'uri' or s.get('hostLabel'))) or s.get('idempotencyToken')
            if not required and self.flavor != 'full' and self.rng.random() < 0.2:
                continue
            mctx = ctx
            if top:
                loc = s.get('location')
                if s.get('hostLabel'):
                    mctx = 'hostlabel'
                elif loc == 'uri':
                    mctx = 'uri'
                elif loc == 'querystring':
                    mctx = 'query'
                elif loc == 'header':
                    mctx = 'header'
                elif loc == 'headers':
                    mctx = 'headers'
                elif loc == 'statusCode':
                    mctx = 'status'
                else:
                    mctx = 'body'
            if mctx == 'status':
                out[n] = self.rng.choice([200, 201, 202])
                continue
            out[n] = self.value(m, mctx, depth + 1, top=top, member_ser=s)
        return out


def greedy_labels(given):
    import re
    return {m[:-1] for m in re.findall(r'{(.*?)}', given.get('http', {}).get('requestUri', '')) if m.endswith('+')}


def input_params(proto, op, given, gen):
    shape = op.input_shape
    if shape is None:
        return OrderedDict()
    p = gen.struct(shape, 'body', 0, top=True)
    greedy = greedy_labels(given)
    # greedy URI labels get the greedy pool
    for n, m in shape.members.items():
        loc = m.serialization.get('location')
        name = m.serialization.get('name', n)
        if loc == 'uri' and name in greedy and m.type_name == 'string':
            p[n] = gen.string('greedy', m)
        if loc == 'uri' and m.type_name == 'string' and p.get(n) == '':
            p[n] = 'x'
    return p


# --------------------------------------------------------------------------------------------
# input cases
# --------------------------------------------------------------------------------------------

INPUT_FLAVORS = ['basic', 'full', 'tricky', 'unicode', 'empty', 'numbers', 'time', 'special']


def load(path):
    return json.load(open(path), object_pairs_hook=OrderedDict)


def suite_base(suite, desc):
    s = OrderedDict()
    s['description'] = desc
    s['metadata'] = suite['metadata']
    s['shapes'] = suite['shapes']
    if 'clientEndpoint' in suite:
        s['clientEndpoint'] = suite['clientEndpoint']
    s['cases'] = []
    return s


def gen_inputs():
    files = sorted(glob.glob(f'{SRC}/input/*.json') + glob.glob(f'{SRC}/legacy/input/*.json'))
    for path in files:
        key = os.path.basename(path)[:-5]
        legacy = '/legacy/' in path
        for si, suite in enumerate(load(path)):
            proto = suite['metadata']['protocol']
            if proto not in PROTOS or suite['description'] in IGNORED_SUITES:
                continue
            batch = 'ignored_ops' if any(c.get('id') in IGNORED_CASES['input'] for c in suite['cases']) else 'main'
            seen = set()
            out = suite_base(suite, f"oracle-in{'-legacy' if legacy else ''}: {suite['description']}")
            qout = suite_base(suite, f"oracle-in-quirk{'-legacy' if legacy else ''}: {suite['description']}")
            for ci, case in enumerate(suite['cases']):
                given = copy.deepcopy(case['given'])
                given.setdefault('name', 'OperationName')
                gk = json.dumps(given, sort_keys=True)
                if gk in seen:
                    continue
                seen.add(gk)
                if given.get('requestcompression'):
                    continue
                if 'hostPrefix' in (given.get('endpoint') or {}) and 'clientEndpoint' not in out:
                    out['clientEndpoint'] = 'https://example.com'
                model, op = build_model(out, given)
                if op.input_shape is not None and any(
                        m.serialization.get('eventstream') or
                        (m.type_name == 'structure' and m.serialization.get('eventstream'))
                        for m in op.input_shape.members.values()):
                    continue
                for flavor in INPUT_FLAVORS:
                    for rep in range(2 if flavor in ('tricky', 'numbers', 'time') else 1):
                        rng = rng_for(path, si, ci, flavor, rep)
                        gen = Gen(proto, flavor, rng, 'input')
                        try:
                            params = input_params(proto, op, given, gen)
                        except Exception as e:  # noqa
                            print('gen error', path, suite['description'], flavor, e)
                            continue
                        if flavor == 'special' and not any(v in ('NaN', 'Infinity', '-Infinity') for v in params.values() if isinstance(v, str)):
                            continue
                        try:
                            ser = botocore_serialize(proto, out, given, params)
                        except Exception as e:  # noqa
                            STATS['skipped_botocore_error'] += 1
                            continue
                        target = out
                        if proto == 'rest-xml' and flat_ns(op.input_shape, params):
                            target = qout
                        c = OrderedDict()
                        c['id'] = f"Oracle_{key}_{'L' if legacy else 'N'}{si}_{ci}_{flavor}{rep}"
                        c['given'] = given
                        c['params'] = params
                        c['serialized'] = ser
                        target['cases'].append(c)
                        STATS['input'] += 1
            add_suite(batch, key, out)
            if 'clientEndpoint' in out:
                qout['clientEndpoint'] = out['clientEndpoint']
            add_suite('quirks', key, qout)


def flat_ns(shape, value):
    """True when value sets a flattened list whose shape has an xmlNamespace (botocore puts the
    xmlns on the parent element)."""
    if shape is None or value is None:
        return False
    t = shape.type_name
    if t == 'structure':
        return any(flat_ns(shape.members[k], v) for k, v in value.items() if k in shape.members)
    if t == 'list':
        if shape.serialization.get('flattened') and shape.serialization.get('xmlNamespace'):
            return True
        return any(flat_ns(shape.member, v) for v in value)
    if t == 'map':
        return any(flat_ns(shape.value, v) for v in value.values())
    return False


# --------------------------------------------------------------------------------------------
# response rendering
# --------------------------------------------------------------------------------------------

def dt_of(epoch):
    return datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(seconds=epoch)


def fmt_ts(epoch, fmt, style):
    """Render epoch per timestamp format; style varies precision/offsets within the format."""
    fmt = (fmt or 'iso8601').lower()
    dt = dt_of(epoch)
    if fmt == 'iso8601':
        base = dt.strftime('%Y-%m-%dT%H:%M:%S')
        us = dt.microsecond
        if style == 0:
            return base + ('.%03dZ' % (us // 1000) if us else 'Z')
        if style == 1:
            return base + ('.%06dZ' % us if us else '.000Z')
        if style == 2:
            return base + ('.%06d' % us).rstrip('0').rstrip('.') + '+00:00'
        if style == 3:  # positive offset
            d2 = dt + datetime.timedelta(hours=1, minutes=30)
            s = d2.strftime('%Y-%m-%dT%H:%M:%S') + ('.%03d' % (us // 1000) if us else '')
            return s + '+01:30'
        if style == 4:
            return base + ('.%06d' % us) + '000Z'  # nanoseconds
        return base + 'Z'
    if fmt == 'rfc822':
        return formatdate(int(math.floor(epoch)), usegmt=True)
    if fmt == 'unixtimestamp':
        if style == 1 and epoch == int(epoch):
            return '%d.0' % epoch
        return repr(epoch) if epoch != int(epoch) else str(int(epoch))
    raise ValueError(fmt)


def xesc(s, attr=False):
    s = s.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')
    if attr:
        s = s.replace('"', '&quot;')
    return s


class XmlOut:
    def __init__(self, proto, variant, rng, ts_style=0, time_quirk=False):
        self.proto = proto
        self.v = variant
        self.rng = rng
        self.ts_style = ts_style
        self.time_quirk = time_quirk
        self.flags = set()

    def text(self, s):
        v = self.v
        if v == 'cdata' and s:
            return '<![CDATA[' + s.replace(']]>', ']]]]><![CDATA[>') + ']]>'
        if v == 'charref' and s:
            return ''.join(c if c.isalnum() and ord(c) < 128 else '&#%d;' % ord(c) if ord(c) % 2 else '&#x%X;' % ord(c) for c in s)
        if v == 'entities':
            return s.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;').replace('"', '&quot;').replace("'", '&apos;')
        return xesc(s)

    def scalar(self, shape, val):
        t = shape.type_name
        if t in ('string', 'character'):
            return self.text(val)
        if t == 'blob':
            b = base64.b64encode(val.encode('utf-8')).decode()
            return b
        if t == 'boolean':
            return 'true' if val else 'false'
        if t in ('integer', 'long', 'byte', 'short'):
            s = str(val)
            return f'  {s}\n' if self.v == 'padnum' else s
        if t in ('float', 'double'):
            if isinstance(val, str):
                return val
            s = repr(val)
            if self.v == 'padnum':
                return f' {s} '
            if self.v == 'floatfmt':
                return self.rng.choice(['%E', '%e', '%.17g']) % val
            return s
        if t == 'timestamp':
            fmt = (shape.serialization.get('timestampFormat') or 'iso8601').lower()
            if self.time_quirk:
                fmt = {'iso8601': 'unixtimestamp', 'unixtimestamp': 'iso8601', 'rfc822': 'iso8601'}[fmt]
            s = fmt_ts(val, fmt, self.ts_style)
            return f' {s} ' if self.v == 'padnum' else s
        raise ValueError(t)

    def sep(self, depth):
        return '\n' + '  ' * depth if self.v in ('pretty', 'comments') else ''

    def el(self, name, inner, attrs='', depth=0, container=False):
        if container:
            inner = inner + (self.sep(depth) if inner else '')
        if inner == '' and self.v in ('selfclose', 'empty'):
            return f'<{name}{attrs}/>'
        return f'<{name}{attrs}>{inner}</{name}>'

    def member_name(self, mshape, mname):
        if mshape.type_name == 'list' and mshape.serialization.get('flattened'):
            n = mshape.member.serialization.get('name')
            if n is not None:
                if n != mshape.serialization.get('name', mname):
                    self.flags.add('flatname')  # botocore names flattened items after the list member
                return n
        return mshape.serialization.get('name', mname)

    def struct_inner(self, shape, val, depth, top=False, skip_locations=True):
        attrs = ''
        kids = []
        extra = self.v == 'extra' and not shape.is_tagged_union
        if extra:
            kids.append(self.sep(depth + 1) + '<UnknownElement><Deep a="1">x</Deep><Member>y</Member></UnknownElement>')
            attrs += ' unknownAttr="z"'
        if self.v == 'comments':
            kids.append(self.sep(depth + 1) + '<!-- a comment -->')
        for mname, mshape in shape.members.items():
            if mname not in val:
                continue
            s = mshape.serialization
            if s.get('location') in ('header', 'headers', 'statusCode'):
                continue
            if s.get('xmlAttribute'):
                aname = s['name']
                if ':' in aname:
                    pfx = aname.split(':')[0]
                    if pfx == 'xsi':
                        attrs += ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
                    else:
                        attrs += f' xmlns:{pfx}="https://example.com/{pfx}"'
                attrs += f' {aname}="{xesc(str(self.scalar(mshape, val[mname])) if mshape.type_name != "string" else val[mname], True)}"'
                continue
            kids.append(self.member(mshape, val[mname], self.member_name(mshape, mname), depth + 1))
        if extra:
            kids.append(self.sep(depth + 1) + '<AnotherUnknown/>')
        return attrs, ''.join(kids)

    def ns_attr(self, shape):
        ns = shape.serialization.get('xmlNamespace')
        if isinstance(ns, dict):
            if ns.get('prefix'):
                return f' xmlns:{ns["prefix"]}="{ns["uri"]}"'
            return f' xmlns="{ns["uri"]}"'
        if isinstance(ns, str):
            return f' xmlns="{ns}"'
        return ''

    def member(self, shape, val, name, depth):
        t = shape.type_name
        pre = self.sep(depth)
        if t == 'structure':
            attrs, inner = self.struct_inner(shape, val, depth)
            return pre + self.el(name, inner, attrs + self.ns_attr(shape), depth, container=True)
        if t == 'list':
            if shape.serialization.get('flattened'):
                return ''.join(self.member(shape.member, x, name, depth) for x in val)
            item = shape.member.serialization.get('name', 'item' if self.proto == 'ec2' else 'member')
            inner = ''.join(self.member(shape.member, x, item, depth + 1) for x in val)
            return pre + self.el(name, inner, self.ns_attr(shape), depth, container=True)
        if t == 'map':
            kn = shape.key.serialization.get('name', 'key')
            vn = shape.value.serialization.get('name', 'value')
            if shape.serialization.get('flattened'):
                return ''.join(pre + self.el(name, self.member(shape.key, k, kn, depth + 1) +
                                             self.member(shape.value, v, vn, depth + 1), '', depth, True)
                               for k, v in val.items())
            entries = ''.join(self.sep(depth + 1) + self.el('entry', self.member(shape.key, k, kn, depth + 2) +
                                                           self.member(shape.value, v, vn, depth + 2), '', depth + 1, True)
                              for k, v in val.items())
            return pre + self.el(name, entries, self.ns_attr(shape), depth, container=True)
        return pre + self.el(name, self.scalar(shape, val), self.ns_attr(shape), depth)


def header_scalar(shape, val, ts_style=0):
    t = shape.type_name
    if t == 'timestamp':
        return fmt_ts(val, shape.serialization.get('timestampFormat') or 'rfc822', ts_style)
    if t == 'boolean':
        return 'true' if val else 'false'
    if t in ('float', 'double'):
        return val if isinstance(val, str) else repr(val)
    if t == 'blob':
        return base64.b64encode(val.encode()).decode()
    if shape.serialization.get('jsonvalue'):
        return base64.b64encode(json.dumps(val).encode()).decode()
    return str(val)


def render_headers(shape, val, variant, ts_style, flags=None):
    h = OrderedDict()
    if shape is None:
        return h
    for n, m in shape.members.items():
        if n not in val:
            continue
        s = m.serialization
        loc = s.get('location')
        if loc == 'header':
            name = s.get('name', n)
            if m.type_name == 'list':
                if m.member.type_name == 'timestamp' and flags is not None and val[n] and \
                        (m.member.serialization.get('timestampFormat') or 'rfc822').lower() == 'rfc822':
                    flags.add('tslisthdr')  # botocore splits HTTP dates at their commas
                sep = ', ' if variant in ('pretty', 'comments') else ','
                h[name] = sep.join(header_scalar(m.member, x, ts_style) for x in val[n])
            else:
                h[name] = header_scalar(m, val[n], ts_style)
        elif loc == 'headers':
            pfx = s.get('name', '')
            for k, v in val[n].items():
                h[pfx + k] = str(v)
    return h


def json_value(shape, val, variant, top=False, time_quirk=False, ts_style=0):
    t = shape.type_name
    if getattr(shape, 'is_document_type', False):
        return val
    if t == 'structure':
        o = OrderedDict()
        if variant == 'extra' and not shape.is_tagged_union:
            o['unknownField'] = {'nested': [1, 'two', None, {'x': True}]}
        for n, m in shape.members.items():
            s = m.serialization
            if top and s.get('location') in ('header', 'headers', 'statusCode'):
                continue
            if n not in val:
                if variant == 'nulls' and not shape.is_tagged_union:
                    o[s.get('name', n)] = None
                continue
            o[s.get('name', n)] = json_value(m, val[n], variant, time_quirk=time_quirk, ts_style=ts_style)
        if variant == 'extra' and not shape.is_tagged_union:
            o['zzUnknown'] = 12.5
        return o
    if t == 'list':
        return [json_value(shape.member, x, variant, time_quirk=time_quirk, ts_style=ts_style) for x in val]
    if t == 'map':
        return OrderedDict((k, json_value(shape.value, v, variant, time_quirk=time_quirk, ts_style=ts_style)) for k, v in val.items())
    if t == 'blob':
        return base64.b64encode(val.encode('utf-8')).decode()
    if t == 'timestamp':
        fmt = (shape.serialization.get('timestampFormat') or 'unixtimestamp').lower()
        if time_quirk:
            fmt = 'iso8601' if fmt == 'unixtimestamp' else 'unixtimestamp'
        if fmt == 'unixtimestamp':
            return val
        return fmt_ts(val, fmt, ts_style)
    if t in ('float', 'double') and isinstance(val, str):
        return val
    return val


# --------------------------------------------------------------------------------------------
# output cases
# --------------------------------------------------------------------------------------------

OUT_FLAVORS = ['basic', 'full', 'tricky', 'unicode', 'empty', 'numbers', 'time', 'special']
XML_VARIANTS = ['plain', 'pretty', 'cdata', 'charref', 'entities', 'extra', 'selfclose', 'comments', 'padnum',
                'floatfmt', 'decl', 'nsprefix']
JSON_VARIANTS = ['plain', 'pretty', 'extra', 'nulls', 'ascii', 'floatfmt']


def gen_output_value(proto, op, gen):
    shape = op.output_shape
    if shape is None:
        return OrderedDict()
    v = gen.struct(shape, 'body', 0, top=True)
    return v


def render_response(proto, given, op, val, variant, rng, ts_style=0, time_quirk=False):
    shape = op.output_shape
    name = given.get('name', 'OperationName')
    headers = OrderedDict()
    flags = set()
    status = 200
    if shape is not None and proto in ('rest-json', 'rest-xml'):
        payload = shape.serialization.get('payload')
        if payload and (payload not in val or val[payload] in ('', {}) ):
            flags.add('emptypayload')  # botocore returns ''/{} for an absent payload
    if shape is not None:
        for n, m in shape.members.items():
            if m.serialization.get('location') == 'statusCode' and n in val:
                status = val[n]
    if proto in ('query', 'ec2', 'rest-xml'):
        xo = XmlOut(proto, variant, rng, ts_style, time_quirk)
        headers['Content-Type'] = 'text/xml'
        if proto == 'query':
            if shape is None or not shape.members:
                body = f'<{name}Response xmlns="https://example.com/doc/2010-05-08/"><ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata></{name}Response>'
            else:
                attrs, inner = xo.struct_inner(shape, val, 1)
                body = (f'<{name}Response xmlns="https://example.com/doc/2010-05-08/">{xo.sep(1)}'
                        f'<{name}Result{attrs}>{inner}{xo.sep(1)}</{name}Result>{xo.sep(1)}'
                        f'<ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata>{xo.sep(0)}</{name}Response>')
        elif proto == 'ec2':
            if shape is None:
                body = f'<{name}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>rid</requestId></{name}Response>'
            else:
                attrs, inner = xo.struct_inner(shape, val, 0)
                body = (f'<{name}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"{attrs}>{xo.sep(1)}'
                        f'<requestId>rid</requestId>{inner}{xo.sep(0)}</{name}Response>')
        else:
            headers['X-Amz-Request-Id'] = 'rid'
            if shape is None:
                body = ''
            else:
                payload = shape.serialization.get('payload')
                if payload:
                    pm = shape.members[payload]
                    if payload not in val:
                        body = ''
                    elif pm.type_name in ('blob', 'string'):
                        body = val[payload]
                        headers['Content-Type'] = 'application/octet-stream'
                    else:
                        rname = pm.serialization.get('name', payload)
                        body = xo.member(pm, val[payload], rname, 0).lstrip('\n')
                else:
                    has_body = any(m.serialization.get('location') is None for m in shape.members.values())
                    attrs, inner = xo.struct_inner(shape, val, 0)
                    if has_body:
                        body = f'<{name}Output xmlns="https://example.com/"{attrs}>{inner}{xo.sep(0)}</{name}Output>'
                    else:
                        body = ''
        if variant == 'decl' and body.startswith('<'):
            body = '<?xml version="1.0" encoding="UTF-8"?>\n' + body
        if variant == 'nsprefix' and body.startswith('<'):
            # put every element into a prefixed namespace declared on the root
            import re
            body = re.sub(r'<(/?)([A-Za-z_][\w.\-]*)(?=[\s/>])', lambda m: f'<{m.group(1)}p:{m.group(2)}', body)
            body = re.sub(r'^<p:([\w.\-]+)', lambda m: f'<p:{m.group(1)} xmlns:p="https://example.com/p"', body, count=1)
            body = body.replace(' xmlns="', ' xmlns:d="')
    else:
        headers['Content-Type'] = 'application/x-amz-json-1.1' if proto == 'json' else 'application/json'
        headers['X-Amzn-Requestid'] = 'rid'
        if shape is None:
            body = '{}' if proto == 'json' else ''
        else:
            payload = shape.serialization.get('payload') if proto == 'rest-json' else None
            if payload:
                pm = shape.members[payload]
                if payload not in val:
                    obj = None
                elif pm.type_name in ('blob', 'string') and not getattr(pm, 'is_document_type', False):
                    obj = None
                    body = val[payload]
                    headers['Content-Type'] = 'application/octet-stream'
                else:
                    obj = json_value(pm, val[payload], variant, time_quirk=time_quirk, ts_style=ts_style)
                if payload not in val:
                    body = ''
            else:
                obj = json_value(shape, val, variant, top=True, time_quirk=time_quirk, ts_style=ts_style)
            if not (payload and (payload not in val or (shape.members[payload].type_name in ('blob', 'string')))):
                if variant == 'pretty':
                    body = json.dumps(obj, indent=4, ensure_ascii=False)
                elif variant == 'ascii':
                    body = json.dumps(obj, ensure_ascii=True)
                else:
                    body = json.dumps(obj, separators=(',', ':'), ensure_ascii=False)
    if proto in ('rest-json', 'rest-xml'):
        headers.update(render_headers(shape, val, variant, ts_style, flags))
    if proto in ('query', 'ec2', 'rest-xml'):
        flags |= xo.flags
    resp = OrderedDict()
    resp['status_code'] = status
    resp['headers'] = headers
    resp['body'] = body
    return resp, flags


def gen_outputs():
    files = sorted(glob.glob(f'{SRC}/output/*.json') + glob.glob(f'{SRC}/legacy/output/*.json'))
    for path in files:
        key = os.path.basename(path)[:-5]
        legacy = '/legacy/' in path
        for si, suite in enumerate(load(path)):
            proto = suite['metadata']['protocol']
            if proto not in PROTOS:
                continue
            batch = 'ignored_ops' if any(c.get('id') in IGNORED_CASES['output'] for c in suite['cases']) else 'main'
            out = suite_base(suite, f"oracle-out{'-legacy' if legacy else ''}: {suite['description']}")
            quirk = suite_base(suite, f"oracle-out-quirk{'-legacy' if legacy else ''}: {suite['description']}")
            seen = set()
            for ci, case in enumerate(suite['cases']):
                given = copy.deepcopy(case['given'])
                given.setdefault('name', 'OperationName')
                gk = json.dumps(given, sort_keys=True)
                if gk in seen:
                    continue
                seen.add(gk)
                model, op = build_model(out, given)
                if op.has_event_stream_output:
                    continue
                variants = XML_VARIANTS if proto in ('query', 'ec2', 'rest-xml') else JSON_VARIANTS
                n = 0
                for flavor in OUT_FLAVORS:
                    for variant in variants:
                        rng = rng_for(path, si, ci, flavor, variant)
                        if rng.random() > 0.45 and flavor not in ('full',) and variant != 'plain':
                            continue
                        gen = Gen(proto, flavor, rng, 'output')
                        val = gen_output_value(proto, op, gen)
                        if flavor == 'special' and not any(isinstance(v, str) and v in ('NaN', 'Infinity', '-Infinity') for v in val.values()):
                            continue
                        for ts_style in ([0, 1, 2, 3, 4] if flavor == 'time' else [rng.randrange(6)]):
                            emit_output(proto, out, given, op, val, variant, rng, ts_style, False,
                                        f"Oracle_{key}_{'L' if legacy else 'N'}{si}_{ci}_{flavor}_{variant}_{ts_style}", quirk)
                        if flavor == 'time' and variant == 'plain':
                            emit_output(proto, quirk, given, op, val, variant, rng, 0, True,
                                        f"OracleQuirkTime_{key}_{'L' if legacy else 'N'}{si}_{ci}")
                gen_errors(proto, key, legacy, si, ci, out, quirk, given, model, op)
            add_suite(batch, key, out)
            add_suite('quirks', key, quirk)


def emit_output(proto, suite, given, op, val, variant, rng, ts_style, time_quirk, cid, quirk_suite=None):
    try:
        resp, flags = render_response(proto, given, op, val, variant, rng, ts_style, time_quirk)
        if flags and quirk_suite is not None:
            suite = quirk_suite
            cid = cid.replace('Oracle_', 'OracleQuirk' + '_'.join(sorted(flags)) + '_', 1)
        result = strict_json(botocore_parse(proto, suite, given, resp, False))
    except Exception as e:  # noqa
        STATS['skipped_botocore_error'] += 1
        return
    c = OrderedDict()
    c['id'] = cid
    c['given'] = given
    c['result'] = result
    c['response'] = resp
    suite['cases'].append(c)
    STATS['output'] += 1


# --------------------------------------------------------------------------------------------
# errors
# --------------------------------------------------------------------------------------------

def error_shapes(model, given):
    names = [e['shape'] for e in given.get('errors', [])]
    for n in model.shape_names:
        s = model.shape_for(n)
        if s.metadata.get('exception') and n not in names:
            names.append(n)
    return [model.shape_for(n) for n in names]


def error_code_of(shape):
    return shape.error_code


def gen_errors(proto, key, legacy, si, ci, out, quirk, given, model, op):
    eshapes = error_shapes(model, given)
    rng = rng_for('err', key, si, ci)
    specs = []  # (suite, id, response)
    msg_pool = ['Something went wrong', 'Invalid value "x" & <y>', 'ünïcödé message', '', 'with\nnewline']
    codes = [(es, error_code_of(es)) for es in eshapes] + [(None, 'UnmodeledThing'), (None, 'Some.Dotted.Code')]
    for idx, (es, code) in enumerate(codes):
        for flavor in ['basic', 'tricky', 'full']:
            gen = Gen(proto, flavor, rng, 'output')
            val = gen.struct(es, 'body', 0, top=True) if es is not None else OrderedDict()
            hval = OrderedDict()
            if es is not None:
                for n, m in es.members.items():
                    loc = m.serialization.get('location')
                    if loc == 'statusCode':
                        val.pop(n, None)
                    elif loc in ('header', 'headers'):
                        if proto in ('rest-json', 'rest-xml'):
                            if n in val:
                                hval[n] = val[n]
                        else:
                            val.pop(n, None)
            msg = rng.choice(msg_pool)
            has_msg_member = es is not None and any(
                m.serialization.get('name', n).lower() == 'message' for n, m in es.members.items())
            status = rng.choice([400, 403, 404, 409])
            variant = rng.choice(['plain', 'pretty'])
            base_id = f"OracleErr_{key}_{'L' if legacy else 'N'}{si}_{ci}_{idx}_{flavor}"
            if proto in ('query', 'ec2', 'rest-xml'):
                xo = XmlOut(proto, variant, rng)
                inner = ''
                if es is not None:
                    _, inner = xo.struct_inner(es, val, 2)
                msg_el = '' if has_msg_member or rng.random() < 0.2 else f'{xo.sep(2)}<Message>{xesc(msg)}</Message>'
                if proto == 'ec2':
                    body = (f'<Response>{xo.sep(1)}<Errors>{xo.sep(2)}<Error>{xo.sep(3)}<Code>{code}</Code>{msg_el}{inner}'
                            f'{xo.sep(2)}</Error>{xo.sep(1)}</Errors>{xo.sep(1)}<RequestID>rid</RequestID>{xo.sep(0)}</Response>')
                    forms = [('', body)]
                else:
                    ns = ' xmlns="https://example.com/doc/2010-05-08/"' if rng.random() < 0.5 else ''
                    body = (f'<ErrorResponse{ns}>{xo.sep(1)}<Error>{xo.sep(2)}<Type>Sender</Type>{xo.sep(2)}<Code>{code}</Code>'
                            f'{msg_el}{inner}{xo.sep(1)}</Error>{xo.sep(1)}<RequestId>rid</RequestId>{xo.sep(0)}</ErrorResponse>')
                    forms = [('', body)]
                    if proto == 'rest-xml':
                        forms.append(('_s3', f'<?xml version="1.0" encoding="UTF-8"?>\n<Error>{xo.sep(1)}<Code>{code}</Code>{msg_el}{inner}'
                                              f'{xo.sep(1)}<RequestId>rid</RequestId><HostId>hid</HostId>{xo.sep(0)}</Error>'))
                    if proto == 'query':
                        forms.append(('_QUIRK_errors', f'<Response><Errors><Error><Code>{code}</Code>{msg_el}{inner}</Error></Errors>'
                                                 f'<RequestId>rid</RequestId></Response>'))
                hdrs = OrderedDict([('Content-Type', 'text/xml')])
                if proto == 'rest-xml' and es is not None:
                    hdrs.update(render_headers(es, hval, variant, 0))
                for sfx, b in forms:
                    specs.append((quirk if 'QUIRK' in sfx else out, base_id + sfx, OrderedDict([('status_code', status), ('headers', hdrs), ('body', b)])))
            else:
                obj = OrderedDict()
                nsd = rng.choice(['', 'aws.protocoltests.json#', 'com.amazonaws.svc.v2#'])
                suffix = rng.choice(['', ':http://internal.amazon.com/coral/com.amazon.coral.validate/'])
                if es is not None:
                    obj.update(json_value(es, val, 'plain', top=True))
                hdrs = OrderedDict([('Content-Type', 'application/x-amz-json-1.1' if proto == 'json' else 'application/json')])
                if not has_msg_member and rng.random() < 0.8:
                    obj[rng.choice(['message', 'Message'])] = msg
                if proto == 'json':
                    obj['__type'] = nsd + code + suffix
                    obj.move_to_end('__type', last=False)
                    specs.append((out, base_id, OrderedDict([('status_code', status), ('headers', hdrs), ('body', json.dumps(obj))])))
                    # quirks: botocore's awsJson parser ignores x-amzn-errortype and "code"
                    o2 = OrderedDict(obj)
                    del o2['__type']
                    h2 = OrderedDict(hdrs)
                    h2['X-Amzn-Errortype'] = code
                    specs.append((quirk, base_id + '_hdr', OrderedDict([('status_code', status), ('headers', h2), ('body', json.dumps(o2))])))
                    o3 = OrderedDict(o2)
                    o3['code'] = code
                    specs.append((quirk, base_id + '_code', OrderedDict([('status_code', status), ('headers', hdrs), ('body', json.dumps(o3))])))
                else:
                    hdrs.update(render_headers(es, hval, 'plain', 0) if es is not None else {})
                    how = rng.choice(['header', 'type', 'code', 'header+type'])
                    if how in ('header', 'header+type'):
                        hdrs['X-Amzn-Errortype'] = nsd + code + suffix
                    if how in ('type', 'header+type'):
                        obj['__type'] = (nsd + code + suffix) if how == 'type' else 'Other#Ignored'
                    if how == 'code':
                        obj['code'] = nsd + code + suffix
                    body = json.dumps(obj, indent=2 if variant == 'pretty' else None)
                    specs.append((out, base_id + '_' + how.replace('+', ''), OrderedDict([('status_code', status), ('headers', hdrs), ('body', body)])))
    # status-only errors
    for status in (400, 404):
        hdrs = OrderedDict()
        specs.append((out, f"OracleErrEmpty_{key}_{'L' if legacy else 'N'}{si}_{ci}_{status}",
                      OrderedDict([('status_code', status), ('headers', hdrs), ('body', '')])))
    for status in (500, 503):
        specs.append((quirk, f"OracleQuirkErr5xx_{key}_{'L' if legacy else 'N'}{si}_{ci}_{status}",
                      OrderedDict([('status_code', status), ('headers', OrderedDict()), ('body', '')])))
    # non-protocol bodies on 4xx (e.g. from a proxy or load balancer)
    for status, body in ((403, '<html><body>Forbidden</body></html>'), (400, 'Bad request text')):
        # an HTML body that happens to be well-formed XML gives junk in botocore's XML parsers
        xml_junk = proto in ('query', 'ec2', 'rest-xml') and body.startswith('<')
        specs.append((quirk if xml_junk else out, f"OracleErrNonProto_{key}_{'L' if legacy else 'N'}{si}_{ci}_{status}",
                      OrderedDict([('status_code', status), ('headers', OrderedDict([('Content-Type', 'text/html')])),
                                   ('body', body)])))
    # html body from a proxy
    specs.append((quirk, f"OracleQuirkErrHtml_{key}_{'L' if legacy else 'N'}{si}_{ci}",
                  OrderedDict([('status_code', 502), ('headers', OrderedDict([('Content-Type', 'text/html')])),
                               ('body', '<html><body><b>Http/1.1 Bad Gateway</b></body></html>')])))
    if proto in ('json', 'rest-json') and eshapes:
        # query-compatible header handled separately; here a 5xx with a real body
        es = eshapes[0]
        specs.append((out, f"OracleErr5xxBody_{key}_{'L' if legacy else 'N'}{si}_{ci}",
                      OrderedDict([('status_code', 500), ('headers', OrderedDict([('Content-Type', 'application/json')])),
                                   ('body', json.dumps({'__type': es.error_code, 'message': 'boom'}))])))
    if proto in ('query', 'rest-xml') and eshapes:
        es = eshapes[0]
        specs.append((out, f"OracleErr5xxBody_{key}_{'L' if legacy else 'N'}{si}_{ci}",
                      OrderedDict([('status_code', 503), ('headers', OrderedDict()),
                                   ('body', f'<ErrorResponse><Error><Code>{es.error_code}</Code><Message>boom</Message></Error></ErrorResponse>')])))
    for suite, cid, resp in specs:
        try:
            parsed = strict_json(botocore_parse(proto, suite, given, resp, True))
        except Exception as e:  # noqa
            STATS['skipped_botocore_error'] += 1
            continue
        c = OrderedDict()
        c['id'] = cid
        c['given'] = given
        err = parsed.pop('Error', {})
        c['errorCode'] = err.get('Code', '')
        if err.get('Message'):
            c['errorMessage'] = err['Message']
        c['error'] = parsed
        c['response'] = resp
        suite['cases'].append(c)
        STATS['output'] += 1


# --------------------------------------------------------------------------------------------
# hand-written suites: awsQueryCompatible JSON 1.0
# --------------------------------------------------------------------------------------------

def gen_query_compatible():
    suite = OrderedDict()
    suite['description'] = 'oracle: awsQueryCompatible json 1.0'
    suite['metadata'] = OrderedDict([('protocol', 'json'), ('protocols', ['json']), ('apiVersion', '2020-07-14'),
                                     ('jsonVersion', '1.0'), ('targetPrefix', 'QueryCompatibleJsonRpc10'),
                                     ('awsQueryCompatible', {})])
    suite['shapes'] = {
        'Input': {'type': 'structure', 'members': {'Name': {'shape': 'String'}, 'Count': {'shape': 'Integer'}}},
        'Output': {'type': 'structure', 'members': {'Name': {'shape': 'String'}}},
        'CustomCodeError': {'type': 'structure', 'members': {'message': {'shape': 'String'}, 'Detail': {'shape': 'String'}},
                            'error': {'code': 'Customized', 'httpStatusCode': 402, 'senderFault': True},
                            'exception': True},
        'NoCustomCodeError': {'type': 'structure', 'members': {'message': {'shape': 'String'}}, 'exception': True},
        'String': {'type': 'string'},
        'Integer': {'type': 'integer'},
    }
    suite['cases'] = []
    given = {'name': 'Op', 'http': {'method': 'POST', 'requestUri': '/'}, 'input': {'shape': 'Input'},
             'output': {'shape': 'Output'},
             'errors': [{'shape': 'CustomCodeError'}, {'shape': 'NoCustomCodeError'}]}
    ser = botocore_serialize('json', suite, given, OrderedDict([('Name', 'x y'), ('Count', 3)]))
    suite['cases'].append(OrderedDict([('id', 'OracleQC_Input'), ('given', given),
                                       ('params', OrderedDict([('Name', 'x y'), ('Count', 3)])), ('serialized', ser)]))
    responses = [
        ('CustomHeader', {'x-amzn-query-error': 'Customized;Sender'}, {'__type': 'aws.protocoltests.json10#CustomCodeError', 'message': 'Hi', 'Detail': 'd'}),
        ('CustomHeaderReceiver', {'x-amzn-query-error': 'Customized;Receiver'}, {'__type': 'CustomCodeError', 'Message': 'Hi'}),
        ('NoHeader', {}, {'__type': 'aws.protocoltests.json10#NoCustomCodeError', 'message': 'Hi'}),
        ('NoHeaderCustomShape', {}, {'__type': 'aws.protocoltests.json10#CustomCodeError', 'message': 'Hi', 'Detail': 'd'}),
        ('UnknownQueryCode', {'x-amzn-query-error': 'AWS.SimpleQueueService.NonExistentQueue;Sender'}, {'__type': 'com.amazonaws.sqs#QueueDoesNotExist', 'message': 'gone'}),
        ('MalformedHeader', {'x-amzn-query-error': 'NoSemicolon'}, {'__type': 'NoCustomCodeError', 'message': 'Hi'}),
        ('EmptyCodeHeader', {'x-amzn-query-error': ';Sender'}, {'__type': 'NoCustomCodeError', 'message': 'Hi'}),
        ('ThreeParts', {'x-amzn-query-error': 'A;B;C'}, {'__type': 'NoCustomCodeError', 'message': 'Hi'}),
    ]
    for rid, h, b in responses:
        resp = OrderedDict([('status_code', 400), ('headers', OrderedDict([('Content-Type', 'application/x-amz-json-1.0')] + list(h.items()))),
                            ('body', json.dumps(b))])
        parsed = botocore_parse('json', suite, given, resp, True)
        err = parsed.pop('Error', {})
        c = OrderedDict([('id', f'OracleQC_{rid}'), ('given', given), ('errorCode', err.get('Code', ''))])
        if err.get('Message'):
            c['errorMessage'] = err['Message']
        c['error'] = parsed
        c['response'] = resp
        suite['cases'].append(c)
        STATS['output'] += 1
    add_suite('main', 'json_1_0-query-compatible', suite)


def gen_s3_like():
    """rest-xml operations shaped like S3's (prefix-header maps, greedy keys, streaming bodies)."""
    suite = OrderedDict()
    suite['description'] = 'oracle: S3-like rest-xml operations'
    suite['metadata'] = OrderedDict([('protocol', 'rest-xml'), ('apiVersion', '2006-03-01')])
    suite['shapes'] = {
        'GetIn': {'type': 'structure', 'required': ['Bucket', 'Key'], 'members': {
            'Bucket': {'shape': 'S', 'location': 'uri', 'locationName': 'Bucket'},
            'Key': {'shape': 'S', 'location': 'uri', 'locationName': 'Key'},
            'Range': {'shape': 'S', 'location': 'header', 'locationName': 'Range'},
            'IfModifiedSince': {'shape': 'T', 'location': 'header', 'locationName': 'If-Modified-Since'},
            'VersionId': {'shape': 'S', 'location': 'querystring', 'locationName': 'versionId'},
            'PartNumber': {'shape': 'I', 'location': 'querystring', 'locationName': 'partNumber'}}},
        'GetOut': {'type': 'structure', 'payload': 'Body', 'members': {
            'Body': {'shape': 'B'},
            'Metadata': {'shape': 'M', 'location': 'headers', 'locationName': 'x-amz-meta-'},
            'ContentLength': {'shape': 'L', 'location': 'header', 'locationName': 'Content-Length'},
            'LastModified': {'shape': 'T', 'location': 'header', 'locationName': 'Last-Modified'},
            'ETag': {'shape': 'S', 'location': 'header', 'locationName': 'ETag'},
            'DeleteMarker': {'shape': 'Bool', 'location': 'header', 'locationName': 'x-amz-delete-marker'},
            'MissingMeta': {'shape': 'I', 'location': 'header', 'locationName': 'x-amz-missing-meta'}}},
        'PutIn': {'type': 'structure', 'payload': 'Body', 'members': {
            'Bucket': {'shape': 'S', 'location': 'uri', 'locationName': 'Bucket'},
            'Key': {'shape': 'S', 'location': 'uri', 'locationName': 'Key'},
            'Body': {'shape': 'B'},
            'Metadata': {'shape': 'M', 'location': 'headers', 'locationName': 'x-amz-meta-'},
            'ContentLength': {'shape': 'L', 'location': 'header', 'locationName': 'Content-Length'},
            'Expires': {'shape': 'T', 'location': 'header', 'locationName': 'Expires'},
            'Tagging': {'shape': 'S', 'location': 'header', 'locationName': 'x-amz-tagging'}}},
        'ListIn': {'type': 'structure', 'members': {
            'Bucket': {'shape': 'S', 'location': 'uri', 'locationName': 'Bucket'},
            'Prefix': {'shape': 'S', 'location': 'querystring', 'locationName': 'prefix'},
            'Delimiter': {'shape': 'S', 'location': 'querystring', 'locationName': 'delimiter'},
            'MaxKeys': {'shape': 'I', 'location': 'querystring', 'locationName': 'max-keys'},
            'StartAfter': {'shape': 'S', 'location': 'querystring', 'locationName': 'start-after'}}},
        'ListOut': {'type': 'structure', 'members': {
            'Contents': {'shape': 'Objs', 'flattened': True},
            'Name': {'shape': 'S'}, 'Prefix': {'shape': 'S'}, 'KeyCount': {'shape': 'I'},
            'IsTruncated': {'shape': 'Bool'},
            'CommonPrefixes': {'shape': 'CPs', 'flattened': True}}},
        'Objs': {'type': 'list', 'member': {'shape': 'Obj'}, 'flattened': True},
        'Obj': {'type': 'structure', 'members': {'Key': {'shape': 'S'}, 'LastModified': {'shape': 'T'},
                                                 'ETag': {'shape': 'S'}, 'Size': {'shape': 'L'}}},
        'CPs': {'type': 'list', 'member': {'shape': 'CP'}, 'flattened': True},
        'CP': {'type': 'structure', 'members': {'Prefix': {'shape': 'S'}}},
        'NoSuchKey': {'type': 'structure', 'members': {}, 'exception': True},
        'S': {'type': 'string'}, 'I': {'type': 'integer'}, 'L': {'type': 'long'}, 'B': {'type': 'blob', 'streaming': True},
        'T': {'type': 'timestamp'}, 'Bool': {'type': 'boolean'},
        'M': {'type': 'map', 'key': {'shape': 'S'}, 'value': {'shape': 'S'}},
    }
    suite['cases'] = []
    g_get = {'name': 'GetObject', 'http': {'method': 'GET', 'requestUri': '/{Bucket}/{Key+}'},
             'input': {'shape': 'GetIn'}, 'output': {'shape': 'GetOut'}, 'errors': [{'shape': 'NoSuchKey'}]}
    g_put = {'name': 'PutObject', 'http': {'method': 'PUT', 'requestUri': '/{Bucket}/{Key+}'},
             'input': {'shape': 'PutIn'}}
    g_list = {'name': 'ListObjectsV2', 'http': {'method': 'GET', 'requestUri': '/{Bucket}?list-type=2'},
              'input': {'shape': 'ListIn'}, 'output': {'shape': 'ListOut'}}
    inputs = [
        (g_get, OrderedDict([('Bucket', 'my-bucket'), ('Key', 'dir/sub dir/file+name ü.txt'), ('Range', 'bytes=0-9'),
                             ('IfModifiedSince', 1422172800.5), ('VersionId', 'v1/2+3'), ('PartNumber', 2)])),
        (g_get, OrderedDict([('Bucket', 'b'), ('Key', '/leading//double/'), ])),
        (g_get, OrderedDict([('Bucket', 'b'), ('Key', "~!*'()@&=+$,;?#[] %")])),
        (g_put, OrderedDict([('Bucket', 'b'), ('Key', 'k'), ('Body', 'hello ü'),
                             ('Metadata', OrderedDict([('Foo', 'bar'), ('two-words', 'a b')])),
                             ('ContentLength', 7), ('Expires', 1422172800), ('Tagging', 'a=b&c=d e')])),
        (g_put, OrderedDict([('Bucket', 'b'), ('Key', 'k'), ('Metadata', OrderedDict())])),
        (g_put, OrderedDict([('Bucket', 'b'), ('Key', 'k'), ('Body', '')])),
        (g_list, OrderedDict([('Bucket', 'b'), ('Prefix', 'photos/2024 ü/'), ('Delimiter', '/'), ('MaxKeys', 1000),
                              ('StartAfter', 'a+b')])),
        (g_list, OrderedDict([('Bucket', 'b'), ('Prefix', '')])),
    ]
    for i, (g, params) in enumerate(inputs):
        ser = botocore_serialize('rest-xml', suite, g, params)
        suite['cases'].append(OrderedDict([('id', f'OracleS3_In{i}'), ('given', g), ('params', params), ('serialized', ser)]))
    lm = 'Sun, 25 Jan 2015 08:00:00 GMT'
    list_body = ('<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
                 '<Name>b</Name><Prefix></Prefix><KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>'
                 '<Contents><Key>a &amp; b.txt</Key><LastModified>2015-01-25T08:00:00.000Z</LastModified>'
                 '<ETag>&quot;abc&quot;</ETag><Size>12</Size><StorageClass>STANDARD</StorageClass></Contents>'
                 '<Contents><Key>c</Key><LastModified>2015-01-25T08:00:00.123Z</LastModified><ETag>"d"</ETag><Size>0</Size></Contents>'
                 '<CommonPrefixes><Prefix>photos/</Prefix></CommonPrefixes></ListBucketResult>')
    outputs = [
        ('GetNoMeta', g_get, 200, OrderedDict([('Content-Length', '5'), ('Last-Modified', lm), ('ETag', '"abc"')]), 'hello'),
        ('GetMeta', g_get, 200, OrderedDict([('x-amz-meta-foo', 'bar'), ('X-Amz-Meta-Mixed', 'v'), ('x-amz-delete-marker', 'true'),
                                             ('Content-Length', '0')]), ''),
        ('GetEmptyHeaders', g_get, 200, OrderedDict([('ETag', ''), ('x-amz-meta-empty', '')]), 'x'),
        ('List', g_list, 200, OrderedDict([('Content-Type', 'application/xml')]), list_body),
        ('ListEmpty', g_list, 200, OrderedDict(), '<ListBucketResult><Name>b</Name><KeyCount>0</KeyCount><IsTruncated>false</IsTruncated></ListBucketResult>'),
    ]
    for rid, g, st, h, b in outputs:
        resp = OrderedDict([('status_code', st), ('headers', h), ('body', b)])
        parsed = botocore_parse('rest-xml', suite, g, resp, False)
        suite['cases'].append(OrderedDict([('id', f'OracleS3_Out{rid}'), ('given', g), ('result', parsed), ('response', resp)]))
    errors = [
        ('Head404', 404, OrderedDict([('x-amz-request-id', 'r')]), ''),
        ('NoSuchKey', 404, OrderedDict([('Content-Type', 'application/xml')]),
         '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>'
         '<Key>k</Key><RequestId>r</RequestId><HostId>h</HostId></Error>'),
        ('AccessDenied', 403, OrderedDict(), '<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>'),
        ('Redirect', 301, OrderedDict([('x-amz-bucket-region', 'eu-west-1')]),
         '<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be addressed using the specified endpoint.</Message><Endpoint>b.s3.eu-west-1.amazonaws.com</Endpoint></Error>'),
        ('Redirect304', 304, OrderedDict(), ''),
        ('SlowDown', 503, OrderedDict(), '<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>'),
    ]
    for rid, st, h, b in errors:
        resp = OrderedDict([('status_code', st), ('headers', h), ('body', b)])
        parsed = botocore_parse('rest-xml', suite, g_get, resp, True)
        err = parsed.pop('Error', {})
        c = OrderedDict([('id', f'OracleS3_Err{rid}'), ('given', g_get), ('errorCode', err.get('Code', ''))])
        if err.get('Message'):
            c['errorMessage'] = err['Message']
        c['error'] = parsed
        c['response'] = resp
        suite['cases'].append(c)
    STATS['output'] += len(outputs) + len(errors)
    STATS['input'] += len(inputs)
    add_suite('main', 'rest-xml', suite)


def gen_timestamp_locations():
    """Every timestamp format in every location, with fractional seconds (rest-json and rest-xml)."""
    for proto in ('rest-json', 'rest-xml'):
        suite = OrderedDict()
        suite['description'] = f'oracle: timestamps in every location ({proto})'
        suite['metadata'] = OrderedDict([('protocol', proto), ('apiVersion', '2020-01-01')])
        members = OrderedDict()
        fmts = [None, 'iso8601', 'unixTimestamp', 'rfc822']
        for loc in ('uri', 'querystring', 'header', 'body'):
            for f in fmts:
                n = f"{loc}_{f or 'default'}"
                m = {'shape': 'T'}
                if f:
                    m['timestampFormat'] = f
                if loc != 'body':
                    m['location'] = loc
                    m['locationName'] = n
                members[n] = m
            if loc in ('header', 'querystring'):
                for f in fmts:
                    n = f"{loc}_list_{f or 'default'}"
                    members[n] = {'shape': 'TL' + (f or ''), 'location': loc, 'locationName': n}
        uri = '/ts/' + '/'.join('{%s}' % k for k in members if k.startswith('uri_'))
        suite['shapes'] = {'In': {'type': 'structure', 'members': members}, 'T': {'type': 'timestamp'}}
        if proto == 'rest-xml':
            pass
        for f in fmts:
            tl = {'type': 'list', 'member': {'shape': 'T' + (f or '')}}
            suite['shapes']['TL' + (f or '')] = tl
            if f:
                suite['shapes']['T' + f] = {'type': 'timestamp', 'timestampFormat': f}
        # output shape: headers + body
        omembers = OrderedDict((k, {kk: vv for kk, vv in v.items()}) for k, v in members.items()
                               if k.startswith('header_') or k.startswith('body_'))
        suite['shapes']['Out'] = {'type': 'structure', 'members': omembers}
        suite['cases'] = []
        given = {'name': 'Ts', 'http': {'method': 'POST', 'requestUri': uri},
                 'input': {'shape': 'In', 'locationName': 'TsRequest'} if proto == 'rest-xml' else {'shape': 'In'},
                 'output': {'shape': 'Out'}}
        for i, t in enumerate([1422172800.123, 1422172800.999999, 1422172800, -1.25, 1576540098.5]):
            params = OrderedDict()
            for k, m in members.items():
                params[k] = [t, t + 1] if '_list_' in k else t
            if proto == 'rest-xml':
                # query-string lists of timestamps are fine; header lists of rfc822 dates also serialize fine
                pass
            ser = botocore_serialize(proto, suite, given, params)
            suite['cases'].append(OrderedDict([('id', f'OracleTs_{proto}_In{i}'), ('given', given), ('params', params), ('serialized', ser)]))
            STATS['input'] += 1
        # outputs: headers in each format, with fractional seconds where the format has them
        for i, t in enumerate([1422172800.123, 1422172800.5, 1422172800]):
            for style in range(5):
                h = OrderedDict()
                for k, m in omembers.items():
                    if not k.startswith('header_'):
                        continue
                    f = (m.get('timestampFormat') or 'rfc822')
                    if '_list_' in k:
                        f = k.split('_list_')[1]
                        f = 'rfc822' if f == 'default' else f
                        if f == 'rfc822':
                            continue  # botocore splits HTTP dates at their commas
                        h[k] = ', '.join(fmt_ts(x, f, style) for x in (t, t + 1))
                    else:
                        h[k] = fmt_ts(t, f, style)
                body_vals = OrderedDict((k, t) for k in omembers if k.startswith('body_'))
                oshape = build_model(suite, given)[1].output_shape
                if proto == 'rest-json':
                    body = json.dumps(json_value(oshape, body_vals, 'plain', top=True, ts_style=style))
                else:
                    xo = XmlOut(proto, 'plain', random.Random(0), ts_style=style)
                    body = '<TsResponse>' + xo.struct_inner(oshape, body_vals, 0)[1] + '</TsResponse>'
                resp = OrderedDict([('status_code', 200), ('headers', h), ('body', body)])
                try:
                    parsed = strict_json(botocore_parse(proto, suite, given, resp, False))
                except Exception as e:  # noqa
                    STATS['skipped_botocore_error'] += 1
                    continue
                suite['cases'].append(OrderedDict([('id', f'OracleTs_{proto}_Out{i}_{style}'), ('given', given),
                                                   ('result', parsed), ('response', resp)]))
                STATS['output'] += 1
        add_suite('main', proto, suite)


def main():
    for d in glob.glob(f'{OUT}/*/'):
        shutil.rmtree(d)
    gen_inputs()
    gen_outputs()
    gen_query_compatible()
    gen_s3_like()
    gen_timestamp_locations()
    for batch, files in BATCHES.items():
        os.makedirs(f'{OUT}/{batch}', exist_ok=True)
        for key, suites in files.items():
            with open(f'{OUT}/{batch}/{key}.json', 'w') as f:
                json.dump(suites, f, indent=1, ensure_ascii=False, allow_nan=False)
    print(STATS)
    for batch, files in BATCHES.items():
        print(batch, {k: sum(len(s['cases']) for s in v) for k, v in files.items()})


if __name__ == '__main__':
    main()
