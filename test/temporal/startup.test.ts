import { ScheduleNotFoundError, ServiceError, WorkflowNotFoundError } from '@temporalio/client';
import { NamespaceNotFoundError } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import {
  startupProblem,
  startupWaiter,
  TemporalStartupError,
  type StartupProblemKind,
} from '../../src/temporal/startup';

/** A gRPC error as @grpc/grpc-js and the core bridge shape it: numeric code, details, metadata. */
function grpcError(code: number, details: string): Error {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
}

/** The SDK's wrapper around a failed call (`Failed to signalWithStart Workflow`), the gRPC error as its cause. */
const wrapped = (call: string, cause: Error): Error => new ServiceError(`Failed to ${call} Workflow`, { cause });

describe('startupProblem', () => {
  it.each<[string, unknown, StartupProblemKind]>([
    [
      'a search attribute the namespace has no mapping for yet (SQL visibility), under the SDK wrapper',
      wrapped('signalWithStart', grpcError(3, 'Namespace ns1 has no mapping defined for search attribute DrId')),
      'search-attributes',
    ],
    [
      'a list query naming a search attribute the namespace does not know (SQL visibility)',
      new ServiceError('Failed to count workflows', {
        cause: grpcError(3, "invalid query: invalid expression: column name 'DrId' is not a valid search attribute"),
      }),
      'search-attributes',
    ],
    [
      'a search attribute not yet defined (Elasticsearch)',
      wrapped('start', grpcError(3, 'search attribute DrId is not defined')),
      'search-attributes',
    ],
    ['the SDK NamespaceNotFoundError', new NamespaceNotFoundError('ns1'), 'namespace'],
    ['a NOT_FOUND naming the namespace', grpcError(5, 'Namespace ns1 is not found.'), 'namespace'],
    [
      'the namespace message the SDK turned into WorkflowNotFoundError',
      new WorkflowNotFoundError('Namespace ns1 is not found.', 'wf', undefined),
      'namespace',
    ],
    [
      'the worker validating a namespace that is not there (no status code left)',
      new Error(
        'Namespace ns1 was not found or otherwise could not be described: Status { code: NotFound, message: "Namespace ns1 is not found." }'
      ),
      'namespace',
    ],
    [
      'a refused connection of the core bridge',
      new Error(
        'Failed client connect: Server connection error: tonic::transport::Error(Transport, ConnectError(ConnectError("tcp connect error", Os { code: 111, kind: ConnectionRefused, message: "Connection refused" })))'
      ),
      'server',
    ],
    [
      'a refused connection of grpc-js',
      wrapped('start', grpcError(14, 'No connection established. Last error: connect ECONNREFUSED 127.0.0.1:7233')),
      'server',
    ],
    ['a cluster still forming', grpcError(14, 'Not enough hosts to serve the request'), 'server'],
    ['a name not resolvable yet (compose)', new Error('getaddrinfo EAI_AGAIN temporal'), 'server'],
  ])('recognizes %s', (_what, err, kind) => {
    expect(startupProblem(err)?.kind).toBe(kind);
  });

  it.each<[string, unknown]>([
    ['a workflow that does not exist', new WorkflowNotFoundError('workflow not found for ID: wf', 'wf', undefined)],
    ['a schedule that does not exist', new ScheduleNotFoundError('schedule not found', 'dws-drill:p:d:precheck')],
    ['another invalid argument', wrapped('start', grpcError(3, 'WorkflowId is not set on request.'))],
    ['a permission error', grpcError(7, 'Request unauthorized.')],
    ['an already-started workflow', grpcError(6, 'Workflow execution is already running.')],
    ['a NOT_FOUND that is not about a namespace', grpcError(5, 'Namespace ns1: workflow execution wf not found')],
    ['a plain error', new Error('boom')],
    ['nothing', undefined],
    ['a string', 'Namespace'],
  ])('leaves %s alone', (_what, err) => {
    expect(startupProblem(err)).toBeNull();
  });

  it("keeps the server's words, first line", () => {
    const problem = startupProblem(
      wrapped('signalWithStart', grpcError(3, 'Namespace ns1 has no mapping defined for search attribute DrId'))
    );
    expect(problem?.detail).toBe('Namespace ns1 has no mapping defined for search attribute DrId');
    expect(startupProblem(new Error('Namespace ns1 is not found.\nmore'))?.detail).toBe('Namespace ns1 is not found.');
  });
});

describe('startupWaiter', () => {
  const target = { address: '127.0.0.1:7233', namespace: 'ns1' };
  const missingAttribute = (): Error =>
    wrapped('signalWithStart', grpcError(3, 'Namespace ns1 has no mapping defined for search attribute DrId'));

  it('retries through a start-up problem and says once what it waits for', async () => {
    const told: string[] = [];
    let calls = 0;
    const waiter = startupWaiter(target, { timeoutMs: 10_000, onWait: (_p, what) => told.push(what) });
    const result = await waiter.run(async () => {
      if (++calls < 3) throw missingAttribute();
      return 'started';
    });
    expect(result).toBe('started');
    expect(calls).toBe(3);
    expect(told).toEqual(["the search attributes of the namespace 'ns1' to become visible"]);
  });

  it('gives up at its deadline with the cause and the fix', async () => {
    const waiter = startupWaiter(target, { timeoutMs: 300 });
    const failed = await waiter.run(() => Promise.reject(new NamespaceNotFoundError('ns1'))).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(TemporalStartupError);
    expect((failed as Error).message).toMatch(
      /^Waited \d+ms for the namespace 'ns1' to exist\. The namespace 'ns1' does not exist on Temporal at 127\.0\.0\.1:7233 \(.*\)\. Create it \(temporal operator namespace create --namespace ns1\) or set TEMPORAL_NAMESPACE\.$/
    );
    const attributes = await startupWaiter(target, { timeoutMs: 0 })
      .run(() => Promise.reject(missingAttribute()))
      .catch((e: Error) => e.message);
    expect(attributes).toContain(
      'Start a worker (it registers them), or register them: temporal operator search-attribute create --namespace ns1 --name DrId --type Keyword --name FailoverPhase --type Keyword --name FailoverOutcome --type Keyword.'
    );
  });

  it('passes any other error through at once', async () => {
    let calls = 0;
    const err = await startupWaiter(target, { timeoutMs: 10_000 })
      .run(() => {
        calls++;
        return Promise.reject(new Error('boom'));
      })
      .catch((e: unknown) => e);
    expect((err as Error).message).toBe('boom');
    expect(calls).toBe(1);
  });

  it('stops waiting when its signal aborts, with the last error', async () => {
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 100);
    const err = await startupWaiter(target, { timeoutMs: 60_000, signal: abort.signal })
      .run(() => Promise.reject(new NamespaceNotFoundError('ns1')))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NamespaceNotFoundError);
  });
});
