#!/usr/bin/env python3
"""An independent fake of the GaussDB(DWS) disaster-recovery API, for interoperability tests.

Written from /work/shared/reference/dws-dr-api.md alone (section numbers below refer to it), in the Python 3
standard library only. It deliberately shares no code with the project's TypeScript signer or simulator: a
signature that verifies here was produced by rules read independently from the same reference.

    python3 fake_dws.py --port 0 --ak AK --sk SK [--project P --dr D --primary C1 --standby C2]
        prints "LISTENING <port>" as its first stdout line, then serves on 127.0.0.1 until SIGTERM/SIGINT.
    python3 fake_dws.py --self-test
        checks the verifier against the §5.2 vectors; exit 0 only if every vector verifies.

Routes (§1): GET  /v2/{project_id}/disaster-recovery/{dr_id}            detail   (§2.3, §2.4)
             POST /v2/{project_id}/disaster-recovery/{dr_id}/failover   failover (§1.2 #7)
             GET  /v2/{project_id}/disaster-recoveries                  list     (§2.2)
             GET  /v1.0/{project_id}/clusters/{cluster_id}              cluster  (§3.4)
             GET  /v1/{project_id}/disaster-recovery/{dr_id}/show-progress   progress (§2.5; note v1)
             GET  /_log   (unsigned, test only) JSON list of {method, path, status, signature_valid, ...}

Seeded pair: primary UNAVAILABLE, standby AVAILABLE, kernel 8.2.1, DR status `abnormal`, standby last sync 60 s
before start. The FIRST failover POST is accepted but its answer is lost (500 DWS.9999): the DR goes to
`failovering`, and after --failover-seconds the roles swap and the status returns to `abnormal`. For
--read-after-write seconds after an accepted POST, DR reads (detail and list) still show the state from before it.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import re
import signal
import sys
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote, unquote

# --------------------------------------------------------------------------------------------------------------
# §5.2 AK/SK signing, SDK-HMAC-SHA256 (verifier side)
# --------------------------------------------------------------------------------------------------------------

ALGORITHM = 'SDK-HMAC-SHA256'
EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
SDK_DATE_FORMAT = '%Y%m%dT%H%M%SZ'
MAX_CLOCK_SKEW = timedelta(minutes=15)  # §5.2 step 1
# §5.2 step 10: one space after the algorithm and after each comma.
AUTHORIZATION_RE = re.compile(
    r'^SDK-HMAC-SHA256 Access=(?P<ak>[^,\s]+), SignedHeaders=(?P<signed>[^,\s]+), Signature=(?P<sig>[0-9a-f]{64})$'
)


def encode_component(text: str) -> str:
    """§5.2 steps 2-3: unreserved A-Z a-z 0-9 - _ . ~ stay, every other UTF-8 byte becomes %XX (uppercase)."""
    return quote(text, safe='-_.~', encoding='utf-8')


def canonical_uri(raw_path: str) -> str:
    """§5.2 step 2: unescape, encode each segment, join with '/', and make sure it ends with '/'."""
    segments = [encode_component(unquote(seg)) for seg in raw_path.split('/')]
    uri = '/'.join(segments)
    if not uri.endswith('/'):
        uri += '/'
    if not uri.startswith('/'):
        uri = '/' + uri
    return uri


def parse_query(raw_query: str) -> list[tuple[str, str]]:
    """Splits a raw query into decoded (name, value) pairs. '+' is kept literally: the rules encode space as %20."""
    pairs: list[tuple[str, str]] = []
    if not raw_query:
        return pairs
    for part in raw_query.split('&'):
        if part == '':
            continue
        name, _, value = part.partition('=')
        pairs.append((unquote(name), unquote(value)))
    return pairs


def canonical_query(pairs: list[tuple[str, str]]) -> str:
    """§5.2 step 3: sort names (byte order) and, for repeated names, values; encode both; join k=v with '&'."""
    encoded = [(encode_component(k), encode_component(v)) for k, v in pairs]
    encoded.sort(key=lambda kv: (kv[0].encode('utf-8'), kv[1].encode('utf-8')))
    return '&'.join(f'{k}={v}' for k, v in encoded)


def canonical_request(
    method: str,
    raw_path: str,
    query_pairs: list[tuple[str, str]],
    headers: dict[str, str],
    signed_headers: list[str],
    payload_hash: str,
) -> str:
    """§5.2 steps 5-7. `headers` maps lowercase name -> value; `signed_headers` is the lowercase sorted list."""
    canon_headers = ''.join(f'{name}:{headers[name].strip()}\n' for name in signed_headers)
    return '\n'.join(
        [
            method.upper(),
            canonical_uri(raw_path),
            canonical_query(query_pairs),
            canon_headers,  # ends in '\n', so an empty line precedes the signed-headers line
            ';'.join(signed_headers),
            payload_hash,
        ]
    )


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def string_to_sign(sdk_date: str, canonical: str) -> str:
    """§5.2 step 8."""
    return f'{ALGORITHM}\n{sdk_date}\n{sha256_hex(canonical.encode("utf-8"))}'


def signature(sk: str, to_sign: str) -> str:
    """§5.2 step 9: HMAC-SHA256 keyed with the SK bytes directly, lower hex."""
    return hmac.new(sk.encode('utf-8'), to_sign.encode('utf-8'), hashlib.sha256).hexdigest()


class Verdict:
    """The outcome of verifying one request, with the intermediate values (for the log and the self-test)."""

    def __init__(self) -> None:
        self.valid = False
        self.reason = ''
        self.signed_headers: list[str] = []
        self.canonical_request: str | None = None
        self.canonical_request_hash: str | None = None
        self.expected_signature: str | None = None

    def fail(self, reason: str) -> 'Verdict':
        self.valid = False
        self.reason = reason
        return self


def verify_request(
    *,
    method: str,
    raw_path: str,
    raw_query: str,
    headers: list[tuple[str, str]],
    body: bytes,
    credentials: dict[str, str],
    now: datetime,
) -> Verdict:
    """Verifies an AK/SK-signed request per §5.2, recomputing over exactly the headers named in SignedHeaders."""
    verdict = Verdict()
    lower: dict[str, str] = {}
    for name, value in headers:
        key = name.lower()
        # A repeated header is combined the way HTTP does; the canonical form then sees the combined value.
        lower[key] = f'{lower[key]},{value}' if key in lower else value

    authorization = lower.get('authorization')
    if authorization is None:
        return verdict.fail('no Authorization header')
    match = AUTHORIZATION_RE.match(authorization.strip())
    if not match:
        return verdict.fail(f'Authorization header is not "{ALGORITHM} Access=.., SignedHeaders=.., Signature=.."')
    ak, signed_text, claimed = match.group('ak'), match.group('signed'), match.group('sig')
    signed = signed_text.split(';')
    verdict.signed_headers = signed
    if ak not in credentials:
        return verdict.fail(f'unknown AK {ak}')
    if any(name != name.lower() for name in signed):
        return verdict.fail('SignedHeaders must be lowercase')
    if signed != sorted(signed) or len(set(signed)) != len(signed):
        return verdict.fail('SignedHeaders must be sorted and without duplicates')
    if 'x-sdk-date' not in signed:
        return verdict.fail('x-sdk-date is not a signed header')
    missing = [name for name in signed if name not in lower]
    if missing:
        return verdict.fail(f'signed header(s) not sent: {", ".join(missing)}')

    sdk_date = lower['x-sdk-date'].strip()
    try:
        signed_at = datetime.strptime(sdk_date, SDK_DATE_FORMAT).replace(tzinfo=timezone.utc)
    except ValueError:
        return verdict.fail(f'X-Sdk-Date {sdk_date!r} is not YYYYMMDDTHHMMSSZ')
    if abs(now - signed_at) > MAX_CLOCK_SKEW:
        return verdict.fail(f'X-Sdk-Date {sdk_date} is more than 15 min from the server clock')

    # §5.2 step 6: the literal UNSIGNED-PAYLOAD replaces the body hash when the client says so.
    content_sha = lower.get('x-sdk-content-sha256', '').strip()
    payload_hash = 'UNSIGNED-PAYLOAD' if content_sha == 'UNSIGNED-PAYLOAD' else sha256_hex(body)

    canonical = canonical_request(method, raw_path, parse_query(raw_query), lower, signed, payload_hash)
    verdict.canonical_request = canonical
    verdict.canonical_request_hash = sha256_hex(canonical.encode('utf-8'))
    expected = signature(credentials[ak], string_to_sign(sdk_date, canonical))
    verdict.expected_signature = expected
    if not hmac.compare_digest(expected, claimed):
        return verdict.fail('signature mismatch')
    verdict.valid = True
    verdict.reason = 'ok'
    return verdict


# --------------------------------------------------------------------------------------------------------------
# Self-test: every §5.2 vector, through the same verify_request the server uses
# --------------------------------------------------------------------------------------------------------------


def self_test() -> int:
    creds = {'AccessKey': 'SecretKey'}
    failures: list[str] = []
    passed = 0

    def check(name: str, ok: bool, detail: str = '') -> None:
        nonlocal passed
        if ok:
            passed += 1
            print(f'ok   {name}')
        else:
            failures.append(name)
            print(f'FAIL {name} {detail}')

    # Go SDK vectors (§5.2, "Test vectors from the Go SDK"): only x-sdk-date is signed, TEST_UNDERSCORE is sent.
    go_now = datetime(2006, 1, 2, 15, 4, 5, tzinfo=timezone.utc)
    go_cases = [
        (
            'go GET ?limit=1',
            'GET',
            'limit=1',
            b'',
            [],
            '85c3b7730f308aee452b16138a42a914397e43a8f0d732dfa521c0ef2afa98a4',
            '5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624',
            'GET\n/path/\nlimit=1\nx-sdk-date:20060102T150405Z\n\nx-sdk-date\n' + EMPTY_SHA256,
        ),
        (
            'go POST ?key=value json body',
            'POST',
            'key=value',
            b'{"Name":"test","Id":1}\n',
            [('Content-Type', 'application/json')],
            '13f75ff5f5216199f986c7e7f2f77834d5e160ad9e46f37319816dc72ba7eeab',
            'cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59',
            'POST\n/path/\nkey=value\nx-sdk-date:20060102T150405Z\n\nx-sdk-date\n'
            'a29d7b4c5efd1a22011d69fd7b7aee76fe51e4083c609244228de258afd61289',
        ),
    ]
    for name, method, query, body, extra, hash_part, sig, canonical_text in go_cases:
        headers = [
            ('Host', 'example.huaweicloud.com'),
            ('X-Sdk-Date', '20060102T150405Z'),
            ('TEST_UNDERSCORE', 'test'),
            *extra,
            ('Authorization', f'{ALGORITHM} Access=AccessKey, SignedHeaders=x-sdk-date, Signature={sig}'),
        ]
        v = verify_request(
            method=method, raw_path='/path', raw_query=query, headers=headers, body=body, credentials=creds, now=go_now
        )
        check(f'{name}: canonical request', v.canonical_request == canonical_text, repr(v.canonical_request))
        check(f'{name}: string-to-sign hash part', v.canonical_request_hash == hash_part, str(v.canonical_request_hash))
        check(f'{name}: signature verifies', v.valid, v.reason)

    # DWS-shaped vectors (§5.2, verified there against the official Node.js SDK signer).
    project = '89cd04f168b84af6be287f71730fdb4b'
    dr = 'e59d6b86-9072-46eb-a996-13f8b44994c1'
    dws_now = datetime(2024, 1, 1, tzinfo=timezone.utc)
    dws_headers = [
        ('Host', 'dws.cn-north-4.myhuaweicloud.com'),
        ('Content-Type', 'application/json'),
        ('X-Project-Id', project),
        ('X-Sdk-Date', '20240101T000000Z'),
    ]
    dws_signed = 'content-type;host;x-project-id;x-sdk-date'
    dws_cases = [
        (
            'dws POST failover',
            'POST',
            f'/v2/{project}/disaster-recovery/{dr}/failover',
            '',
            'd0490740b84becbf145721fcb136f273cb08a38340e99d8df8033e817c9b7a44',
            'a37c55262010e213c86270f9e12fb88ce60451e92a162eb538b1abff16b0e0d7',
        ),
        (
            'dws GET detail',
            'GET',
            f'/v2/{project}/disaster-recovery/{dr}',
            '',
            '791143c49a64517896f8daccc441aecd61d91aad3d530a0fcde01744710bf5f3',
            '428ab1618fc0bd4882c6f79faae4c524c6887c384549e028f936993991b91bf4',
        ),
        (
            'dws GET list ?primary_cluster_id',
            'GET',
            f'/v2/{project}/disaster-recoveries',
            'primary_cluster_id=3ef5daaa-d017-4354-80b3-8a69caf2e094',
            '77fffdd438f978bd1265bfea06e994d6241432603eb272625f3b0a8fa3b37629',
            'cf4823449a553005f460e3424051dec894bb95b4700d12c4dbb43ced00178a75',
        ),
    ]
    failover_canonical = (
        f'POST\n/v2/{project}/disaster-recovery/{dr}/failover/\n\n'
        'content-type:application/json\nhost:dws.cn-north-4.myhuaweicloud.com\n'
        f'x-project-id:{project}\nx-sdk-date:20240101T000000Z\n\n'
        'content-type;host;x-project-id;x-sdk-date\n' + EMPTY_SHA256
    )
    for name, method, path, query, canon_hash, sig in dws_cases:
        auth = f'{ALGORITHM} Access=AccessKey, SignedHeaders={dws_signed}, Signature={sig}'
        v = verify_request(
            method=method,
            raw_path=path,
            raw_query=query,
            headers=[*dws_headers, ('Authorization', auth)],
            body=b'',
            credentials=creds,
            now=dws_now,
        )
        got_hash, got_text = v.canonical_request_hash, v.canonical_request
        check(f'{name}: SHA256(canonical request)', got_hash == canon_hash, str(got_hash))
        check(f'{name}: signature verifies', v.valid, v.reason)
        if method == 'POST':
            check(f'{name}: canonical request text', got_text == failover_canonical, repr(got_text))

        # Negative controls: the verifier must not accept everything.
        def negative(label: str, **overrides: object) -> None:
            args: dict = dict(
                method=method,
                raw_path=path,
                raw_query=query,
                headers=[*dws_headers, ('Authorization', auth)],
                body=b'',
                credentials=creds,
                now=dws_now,
            )
            args.update(overrides)
            bad = verify_request(**args)  # type: ignore[arg-type]
            check(f'{name}: rejects {label}', not bad.valid, 'accepted')

        negative('a wrong SK', credentials={'AccessKey': 'WrongKey'})
        negative('a date 16 min off', now=dws_now + timedelta(minutes=16))
        negative('a changed body', body=b'{}')
        negative('a changed path', raw_path=path + 'x')
        later = [*dws_headers[:-1], ('X-Sdk-Date', '20240101T000001Z'), ('Authorization', auth)]
        negative('a changed signed header', headers=later)

    # Canonical query encoding (§5.2 step 3, Go test vector): sorted names, sorted repeated values, %20 not +.
    raw = (
        'test=' + quote('一 (&=?!#%.*)', safe='') + '&path=' + quote('/tmp/123', safe='')
        + '&multi=3&multi=1&multi=2&limit=1&enable=true'
    )
    got = canonical_query(parse_query(raw))
    want = 'enable=true&limit=1&multi=1&multi=2&multi=3&path=%2Ftmp%2F123&test=%E4%B8%80%20%28%26%3D%3F%21%23%25.%2A%29'
    check('canonical query: Go test vector', got == want, got)
    check('canonical uri: empty path is /', canonical_uri('') == '/', canonical_uri(''))

    print(f'{passed} passed, {len(failures)} failed')
    return 0 if not failures else 1


# --------------------------------------------------------------------------------------------------------------
# The service
# --------------------------------------------------------------------------------------------------------------


def utc_stamp(at: datetime) -> str:
    """`YYYY-MM-DDTHH:MM:SS`, UTC, no zone (§2.2, project decisions table)."""
    return at.astimezone(timezone.utc).strftime('%Y-%m-%dT%H:%M:%S')


class ApiError(Exception):
    def __init__(self, status: int, body: dict) -> None:
        super().__init__(body.get('error_msg', ''))
        self.status = status
        self.body = body


def dws_error(status: int, code: str, message: str, legacy: bool = False) -> ApiError:
    body: dict = {'error_code': code, 'error_msg': message}
    if legacy:  # §4.1: some DWS errors also carry errCode/externalMessage
        body = {'externalMessage': message, 'errCode': code, **body}
    return ApiError(status, body)


# DR statuses from which /failover is accepted (project decisions table).
FAILOVER_FROM = ('running', 'abnormal', 'stopped')
FAILOVER_STATUS = 'failovering'


class Pair:
    """One DR pair. Time-driven transitions are applied lazily on each access, under the service lock."""

    def __init__(self, args: argparse.Namespace) -> None:
        started = datetime.now(timezone.utc)
        self.project = args.project
        self.dr_id = args.dr
        self.name = 'interop-dr'
        self.status = 'abnormal'
        self.primary_id = args.primary
        self.standby_id = args.standby
        self.create_time = utc_stamp(started - timedelta(days=30))
        self.start_time = utc_stamp(started - timedelta(days=30) + timedelta(minutes=20))
        self.clusters = {
            args.primary: {
                'name': 'interop-primary',
                'az': 'cn-north-4a',
                'health': 'UNAVAILABLE',
                'last_success_time': utc_stamp(started - timedelta(seconds=60)),
            },
            args.standby: {
                'name': 'interop-standby',
                'az': 'cn-north-4b',
                'health': 'AVAILABLE',
                'last_success_time': utc_stamp(started - timedelta(seconds=60)),
            },
        }
        self.version = '8.2.1'
        self.failover_seconds: float = args.failover_seconds
        self.read_after_write_seconds: float = args.read_after_write
        self.failover_done_at: float | None = None  # monotonic time the running failover completes
        self.status_before_failover: str | None = None
        self.stale_until: float = 0.0  # monotonic; DR reads show `stale_view` until then
        self.stale_view: dict | None = None

    def advance(self, now: float) -> None:
        if self.failover_done_at is not None and now >= self.failover_done_at:
            self.primary_id, self.standby_id = self.standby_id, self.primary_id
            self.status = self.status_before_failover or 'abnormal'
            self.failover_done_at = None
            self.status_before_failover = None

    def start_failover(self, now: float) -> None:
        if self.failover_done_at is not None or self.status not in FAILOVER_FROM:
            raise dws_error(400, 'DWS.7023', 'Cluster status is not allowed to operation.', legacy=True)
        self.stale_view = self.view()
        self.stale_until = now + self.read_after_write_seconds
        self.status_before_failover = self.status
        self.status = FAILOVER_STATUS
        self.failover_done_at = now + self.failover_seconds

    def view(self) -> dict:
        """The DR as a plain snapshot (what DR reads render)."""
        return {'status': self.status, 'primary': self.primary_id, 'standby': self.standby_id}

    def read_view(self, now: float) -> dict:
        if self.stale_view is not None and now < self.stale_until:
            return self.stale_view
        return self.view()

    def dr_cluster(self, cluster_id: str, role: str) -> dict:
        c = self.clusters[cluster_id]
        return {
            'id': cluster_id,
            'name': c['name'],
            'cluster_az': c['az'],
            'role': role,
            'region': 'cn-north-4',
            'status': 'abnormal' if c['health'] != 'AVAILABLE' else ('backuping' if role == 'primary' else 'restoring'),
            'progress': '100%',
            'last_success_time': c['last_success_time'],
            'obs_bucket_name': '',
            'datastore_version': self.version,
            'datastore_type': 'dws',
            'disk_capacity': '300',
            'disk_used': '12',
        }

    def detail(self, v: dict) -> dict:
        """§2.3 DisasterRecoveryQueryResp."""
        return {
            'id': self.dr_id,
            'name': self.name,
            'dr_type': 'az',
            'status': v['status'],
            'primary_cluster': self.dr_cluster(v['primary'], 'primary'),
            'standby_cluster': self.dr_cluster(v['standby'], 'standby'),
            'dr_sync_period': '5m',
            'start_time': self.start_time,
            'create_time': self.create_time,
        }

    def list_item(self, v: dict) -> dict:
        """§2.2 DisasterRecovery."""
        p, s = self.dr_cluster(v['primary'], 'primary'), self.dr_cluster(v['standby'], 'standby')
        return {
            'id': self.dr_id,
            'name': self.name,
            'status': v['status'],
            'dr_type': 'az',
            'primary_cluster_id': p['id'],
            'primary_cluster_name': p['name'],
            'standby_cluster_id': s['id'],
            'standby_cluster_name': s['name'],
            'primary_cluster_role': 'primary',
            'standby_cluster_role': 'standby',
            'primary_cluster_status': p['status'],
            'standby_cluster_status': s['status'],
            'primary_cluster_region': 'cn-north-4',
            'standby_cluster_region': 'cn-north-4',
            'primary_cluster_project_id': self.project,
            'standby_cluster_project_id': self.project,
            'last_disaster_time': s['last_success_time'],
            'start_time': self.start_time,
            'create_time': self.create_time,
        }

    def cluster(self, cluster_id: str) -> dict:
        """§3.4 ClusterDetail (the fields pre-checks use)."""
        c = self.clusters[cluster_id]
        return {
            'id': cluster_id,
            'name': c['name'],
            'status': c['health'],
            'sub_status': 'NORMAL' if c['health'] == 'AVAILABLE' else '',
            'task_status': '',
            'action_progress': {},
            'version': self.version,
            'availability_zone': c['az'],
            'created': self.create_time,
            'updated': self.start_time,
            'port': 8000,
            'nodes': [
                {'id': str(uuid.uuid5(uuid.NAMESPACE_URL, f'{cluster_id}/{i}')), 'status': '200'} for i in range(3)
            ],
        }


SEG = r'([^/]+)'
ROUTES = [
    ('GET', re.compile(rf'^/v2/{SEG}/disaster-recovery/{SEG}$'), 'detail'),
    ('POST', re.compile(rf'^/v2/{SEG}/disaster-recovery/{SEG}/failover$'), 'failover'),
    ('GET', re.compile(rf'^/v2/{SEG}/disaster-recoveries$'), 'list'),
    ('GET', re.compile(rf'^/v1\.0/{SEG}/clusters/{SEG}$'), 'cluster'),
    ('GET', re.compile(rf'^/v1/{SEG}/disaster-recovery/{SEG}/show-progress$'), 'progress'),
]


class Service:
    def __init__(self, args: argparse.Namespace) -> None:
        self.lock = threading.Lock()
        self.pair = Pair(args)
        self.credentials = {args.ak: args.sk}
        self.failover_posts = 0
        self.log: list[dict] = []

    def handle(self, method: str, path: str, query: list[tuple[str, str]]) -> tuple[int, dict]:
        """Routes one authenticated request. @returns (status, JSON body)."""
        for route_method, pattern, name in ROUTES:
            m = pattern.match(path)
            if m and route_method == method:
                return getattr(self, f'op_{name}')(*m.groups(), query=query)
        raise dws_error(404, 'APIG.0101', 'The API does not exist or has not been published in the environment.')

    def _pair(self, project: str, dr_id: str) -> Pair:
        p = self.pair
        if project != p.project or dr_id != p.dr_id:
            raise dws_error(400, 'DWS.10101', f'The disaster recovery {dr_id} does not exist.')
        return p

    def op_detail(self, project: str, dr_id: str, query: list) -> tuple[int, dict]:
        now = time.monotonic()
        with self.lock:
            p = self._pair(project, dr_id)
            p.advance(now)
            return 200, {'disaster_recovery': p.detail(p.read_view(now))}

    def op_list(self, project: str, query: list) -> tuple[int, dict]:
        now = time.monotonic()
        with self.lock:
            p = self.pair
            items = []
            if project == p.project:
                p.advance(now)
                item = p.list_item(p.read_view(now))
                filters = {k: v for k, v in query if k in ('primary_cluster_id', 'standby_cluster_id', 'id')}
                if all(item.get(k) == v for k, v in filters.items()):
                    items.append(item)
            return 200, {'disaster_recovery': items}

    def op_failover(self, project: str, dr_id: str, query: list) -> tuple[int, dict]:
        now = time.monotonic()
        with self.lock:
            p = self._pair(project, dr_id)
            p.advance(now)
            p.start_failover(now)  # raises DWS.7023 while one runs
            self.failover_posts += 1
            if self.failover_posts == 1:
                # Accepted, state changed, but the answer is lost.
                raise dws_error(500, 'DWS.9999', 'Internal Server Error.')
            return 200, {'disaster_recovery': {'id': p.dr_id}}

    def op_progress(self, project: str, dr_id: str, query: list) -> tuple[int, dict]:
        with self.lock:
            p = self._pair(project, dr_id)
            # §2.5: every field may be absent or null; the RTO is the one figure this fake knows.
            return 200, {
                'disaster_recovery_progress': {
                    'primary_cluster': None,
                    'standby_cluster': None,
                    'latest_barrier_time': None,
                    'last_recovery_spend': None,
                    'recovery_point_object': None,
                    'recovery_time_object': int(p.failover_seconds),
                }
            }

    def op_cluster(self, project: str, cluster_id: str, query: list) -> tuple[int, dict]:
        with self.lock:
            p = self.pair
            if project != p.project or cluster_id not in p.clusters:
                raise dws_error(404, 'DWS.0047', f'The cluster {cluster_id} does not exist.')
            p.advance(time.monotonic())
            return 200, {'cluster': p.cluster(cluster_id)}


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'fake-dws/1'
    service: Service  # set on the class by serve()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - base class signature
        pass  # stdout carries LISTENING only; the request log is at /_log

    def _read_body(self) -> bytes:
        if self.headers.get('Transfer-Encoding', '').lower() == 'chunked':
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b';')[0].strip() or b'0', 16)
                if size == 0:
                    while self.rfile.readline() not in (b'\r\n', b'\n', b''):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b''.join(chunks)
        length = int(self.headers.get('Content-Length') or 0)
        return self.rfile.read(length) if length > 0 else b''

    def _send(self, status: int, body: object, request_id: str) -> None:
        data = json.dumps(body, separators=(',', ':')).encode('utf-8')
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        self.send_header('X-Request-Id', request_id)
        self.end_headers()
        self.wfile.write(data)

    def _dispatch(self) -> None:
        request_id = uuid.uuid4().hex
        raw_path, _, raw_query = self.path.partition('?')
        body = self._read_body()
        if raw_path == '/_log' and self.command == 'GET':
            with self.service.lock:
                snapshot = list(self.service.log)
            self._send(200, snapshot, request_id)
            return

        verdict = verify_request(
            method=self.command,
            raw_path=raw_path,
            raw_query=raw_query,
            headers=list(self.headers.items()),
            body=body,
            credentials=self.service.credentials,
            now=datetime.now(timezone.utc),
        )
        if not verdict.valid:
            status, payload = 401, {
                'error_code': 'APIG.0301',
                'error_msg': f'Incorrect IAM authentication information: verify aksk signature fail ({verdict.reason})',
                'request_id': request_id,
            }
        else:
            try:
                status, payload = self.service.handle(self.command, raw_path, parse_query(raw_query))
            except ApiError as err:
                status, payload = err.status, err.body

        entry = {
            'method': self.command,
            'path': raw_path,
            'status': status,
            'signature_valid': verdict.valid,
            'query': raw_query,
            'reason': verdict.reason,
            'signed_headers': verdict.signed_headers,
            'header_names': [name for name, _ in self.headers.items()],
            'headers': [[name, value] for name, value in self.headers.items()],
            'canonical_request': verdict.canonical_request,
            'body_length': len(body),
            'request_id': request_id,
            'time': datetime.now(timezone.utc).isoformat(),
        }
        with self.service.lock:
            self.service.log.append(entry)
        self._send(status, payload, request_id)

    do_GET = _dispatch
    do_POST = _dispatch
    do_PUT = _dispatch
    do_DELETE = _dispatch
    do_PATCH = _dispatch


def serve(args: argparse.Namespace) -> int:
    service = Service(args)
    handler = type('BoundHandler', (Handler,), {'service': service})
    server = ThreadingHTTPServer(('127.0.0.1', args.port), handler)
    server.daemon_threads = True

    def stop(_signum: int, _frame: object) -> None:
        # shutdown() waits for serve_forever() to return, so it must not run on the serving (main) thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f'LISTENING {server.server_address[1]}', flush=True)
    try:
        server.serve_forever(poll_interval=0.1)
    finally:
        server.server_close()
    return 0


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Independent fake of the DWS disaster-recovery API.')
    parser.add_argument('--self-test', action='store_true', help='check the verifier against the §5.2 vectors')
    parser.add_argument('--port', type=int, default=0)
    parser.add_argument('--ak', default='AccessKey')
    parser.add_argument('--sk', default='SecretKey')
    parser.add_argument('--project', default='89cd04f168b84af6be287f71730fdb4b')
    parser.add_argument('--dr', default='e59d6b86-9072-46eb-a996-13f8b44994c1')
    parser.add_argument('--primary', default='3ef5daaa-d017-4354-80b3-8a69caf2e094')
    parser.add_argument('--standby', default='e7fed7fe-f4a7-499a-afed-1fdb5c1978cb')
    parser.add_argument('--failover-seconds', type=float, default=3.0)
    parser.add_argument('--read-after-write', type=float, default=1.0)
    args = parser.parse_args(argv)
    if not args.self_test and args.primary == args.standby:
        parser.error('--primary and --standby must differ')
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.self_test:
        return self_test()
    return serve(args)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
