/**
 * The project's DWS client, called directly against the independent Python fake: the parts of §5.2 the workflow
 * does not reach (a signed query string, ids that need percent-encoding) and the documented error bodies.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadConfig } from '../../src/config';
import { createDwsClient } from '../../src/dws/factory';
import { startFakeDws, type FakeDws, type FakeDwsOptions } from './fake-dws';

async function setup(
  options: FakeDwsOptions = {}
): Promise<{ dws: FakeDws; client: ReturnType<typeof createDwsClient> }> {
  const dws = await startFakeDws(options);
  onTestFinished(async () => {
    await dws.stop();
  });
  const config = loadConfig(
    { DWS_ENDPOINT: dws.url, HUAWEICLOUD_SDK_AK: dws.ak, HUAWEICLOUD_SDK_SK: dws.sk, DWS_RATE_LIMIT: '0' },
    { requireDws: true }
  );
  const client = createDwsClient(config);
  onTestFinished(() => client.close());
  return { dws, client };
}

describe('DwsClient against the independent fake', () => {
  it('signs a filtered list request (canonical query) the way the fake verifies it', async () => {
    const { dws, client } = await setup();

    const byStandby = await client.listDisasterRecoveries(dws.projectId, { primary_cluster_id: dws.primaryId });
    // A value that needs encoding: space, slash, parentheses, '!', '*' and a non-ASCII letter (§5.2 step 3).
    const odd = await client.listDisasterRecoveries(dws.projectId, { id: "a b/(c)!*'é", standby_cluster_id: 'x+y' });

    expect(byStandby.map((d) => [d.id, d.primary_cluster_id, d.standby_cluster_id])).toEqual([
      [dws.drId, dws.primaryId, dws.standbyId],
    ]);
    expect(odd).toEqual([]);
    const log = await dws.log();
    expect(log.map((e) => [e.path, e.status, e.signature_valid, e.reason])).toEqual([
      [`/v2/${dws.projectId}/disaster-recoveries`, 200, true, 'ok'],
      [`/v2/${dws.projectId}/disaster-recoveries`, 200, true, 'ok'],
    ]);
    expect(log[0]!.query).toBe(`primary_cluster_id=${dws.primaryId}`);
  });

  it('signs with a secret key that begins with "-", which the fake takes as the key and not as an option', async () => {
    // A random base64url secret begins with '-' one time in 64: this case makes it happen every time.
    const sk = `-${randomBytes(20).toString('base64url')}`;
    const { dws, client } = await setup({ sk });

    await client.getDisasterRecovery(dws.projectId, dws.drId);

    expect(dws.sk).toBe(sk);
    const log = await dws.log();
    expect(log.map((e) => [e.status, e.signature_valid, e.reason])).toEqual([[200, true, 'ok']]);
  });

  it('signs paths whose ids need percent-encoding, and reports the documented not-found errors', async () => {
    const { dws, client } = await setup();

    await expect(client.getDisasterRecovery(dws.projectId, "x (1)!*'~é")).rejects.toThrow(/DWS\.10101/);
    await expect(client.getCluster(dws.projectId, 'no-such-cluster')).rejects.toThrow(/DWS\.0047/);

    const log = await dws.log();
    expect(log.map((e) => [e.status, e.signature_valid])).toEqual([
      [400, true],
      [404, true],
    ]);
  });
});
