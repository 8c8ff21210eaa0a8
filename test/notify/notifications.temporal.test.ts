import { describe, expect, it } from 'vitest';
import { inventoryFile } from '../helpers/inventory';
import { randomProjectId, scenario } from '../helpers/scenario';
import { randomUUID } from 'node:crypto';
import { startReceiver, type Received } from './receiver';

async function until(what: string, fn: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('notifications', () => {
  it('reach a generic webhook, Slack, Feishu, DingTalk and WeCom receiver in their formats for each phase', async () => {
    const r = await startReceiver();
    const ids = { projectId: randomProjectId(), drId: randomUUID(), primaryId: randomUUID(), standbyId: randomUUID() };
    const inventory = inventoryFile(
      ids,
      `      - { type: webhook, name: generic, url: "${r.url}/generic" }
      - { type: slack, url: "${r.url}/slack" }
      - { type: feishu, url: "${r.url}/feishu", secret: feishu-secret }
      - { type: dingtalk, url: "${r.url}/dingtalk?access_token=t", secret: ding-secret }
      - { type: wecom, url: "${r.url}/wecom?key=k" }
`
    );
    const t = await scenario({
      pair: { id: ids.drId, projectId: ids.projectId, primary: { id: ids.primaryId }, standby: { id: ids.standbyId } },
      env: { DWS_FAILOVER_INVENTORY: inventory },
    });
    t.sim.outage(t.primaryId);
    const report = await t.run();
    expect(report.outcome).toBe('failed-over');

    const kinds = (p: string): unknown[] => r.received.filter((m) => m.path === p).map((m) => m.body.kind ?? m.body);
    await until('three messages on every target', () =>
      ['/generic', '/slack', '/feishu', '/dingtalk', '/wecom'].every((p) => kinds(p).length >= 3)
    );
    const generic = r.received.filter((m) => m.path === '/generic').map((m) => m.body.kind);
    expect(generic.sort()).toEqual(['completed', 'request-sent', 'started']);
    const text = (m: Received): string => JSON.stringify(m.body);
    for (const m of r.received.filter((x) => x.path === '/slack'))
      expect(m.body).toMatchObject({ text: expect.any(String) });
    for (const m of r.received.filter((x) => x.path === '/feishu')) {
      expect(m.body).toMatchObject({ msg_type: 'text', sign: expect.any(String), timestamp: expect.any(String) });
    }
    for (const m of r.received.filter((x) => x.path === '/dingtalk')) {
      expect(m.body).toMatchObject({ msgtype: 'text' });
      expect(m.query.get('sign')).toBeTruthy();
    }
    for (const m of r.received.filter((x) => x.path === '/wecom')) expect(m.body).toMatchObject({ msgtype: 'text' });
    expect(r.received.some((m) => /completed/i.test(text(m)) && text(m).includes(t.drId))).toBe(true);
  });

  it("reach the pair's targets when the pre-checks cannot read DWS at all, with the read error and no start message", async () => {
    const r = await startReceiver();
    const ids = { projectId: randomProjectId(), drId: randomUUID(), primaryId: randomUUID(), standbyId: randomUUID() };
    const inventory = inventoryFile(ids, `      - { type: webhook, name: generic, url: "${r.url}/generic" }\n`);
    const t = await scenario({
      pair: { id: ids.drId, projectId: ids.projectId, primary: { id: ids.primaryId }, standby: { id: ids.standbyId } },
      env: { DWS_FAILOVER_INVENTORY: inventory },
    });
    t.sim.outage(t.primaryId);
    t.sim.addFaults([{ method: 'GET', path: `/v2/${t.projectId}/disaster-recovery/${t.drId}`, status: 503 }]);
    const report = await t.run({ policy: { readOutageAllowanceSeconds: 4 } });
    expect(report.outcome).toBe('precheck-failed');
    expect(t.failoverPosts()).toHaveLength(0);

    await until('the end notification', () => r.received.length >= 1);
    // Give a wrongly sent second message (a "started") the time to arrive before counting.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(r.received).toHaveLength(1);
    expect(r.received[0]?.body).toMatchObject({
      kind: 'failed',
      title: 'Failover stopped by its pre-checks',
      outcome: 'precheck-failed',
      drId: t.drId,
      pair: t.drId,
      summary: expect.stringMatching(/could not read the pair for 4 s .*503/),
    });
  });

  it('never delays or fails the failover when a receiver is down', async () => {
    const r = await startReceiver();
    const ids = { projectId: randomProjectId(), drId: randomUUID(), primaryId: randomUUID(), standbyId: randomUUID() };
    const inventory = inventoryFile(
      ids,
      `      - { type: slack, url: "${r.url}/fail-slack" }
      - { type: webhook, url: "${r.url}/generic" }
`
    );
    const t = await scenario({
      pair: { id: ids.drId, projectId: ids.projectId, primary: { id: ids.primaryId }, standby: { id: ids.standbyId } },
      env: { DWS_FAILOVER_INVENTORY: inventory },
    });
    t.sim.outage(t.primaryId);
    const report = await t.run();
    expect(report.outcome).toBe('failed-over');
    // The working receiver got its messages; the failing one is retried in the background without harm.
    await until('the working receiver', () => r.received.filter((m) => m.path === '/generic').length >= 3);
  });
});
