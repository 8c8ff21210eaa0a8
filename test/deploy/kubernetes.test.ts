import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseApproverKeys } from '../../src/identity/keys';
import { parseInventory } from '../../src/inventory';
import { namesReadByCode, REPO_ROOT } from './env-names';

interface Probe {
  httpGet: { path: string; port: number | string };
}
interface Container {
  name: string;
  image: string;
  args: string[];
  ports?: { containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { runAsNonRoot?: boolean; allowPrivilegeEscalation?: boolean };
}
interface Doc {
  apiVersion: string;
  kind: string;
  metadata?: { name: string; labels?: Record<string, string> };
  data?: Record<string, string>;
  resources?: string[];
  images?: { name: string }[];
  spec?: {
    selector?: Record<string, string>;
    ports?: { port: number; targetPort: string | number }[];
    template?: {
      metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
      spec: { securityContext?: { runAsNonRoot?: boolean; runAsUser?: number }; containers: Container[] };
    };
  };
}

const DIR = join(REPO_ROOT, 'deploy', 'kubernetes');
const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml'));
const docs: Doc[] = files.flatMap((f) =>
  parseAllDocuments(readFileSync(join(DIR, f), 'utf8')).map((d) => {
    expect(d.errors, f).toEqual([]);
    return d.toJS() as Doc;
  })
);
const byKind = (kind: string): Doc[] => docs.filter((d) => d.kind === kind);
const deployment = (component: string): Doc => {
  const found = byKind('Deployment').find((d) => d.metadata?.labels?.['app.kubernetes.io/component'] === component);
  expect(found, `a Deployment for the ${component}`).toBeDefined();
  return found!;
};
const container = (component: string): Container => deployment(component).spec!.template!.spec.containers[0]!;
const probe = (p: Probe | undefined): string => `${p?.httpGet.path} on ${p?.httpGet.port}`;

describe('deploy/kubernetes', () => {
  it('holds the worker and intake Deployments, the intake Service, the inventory and approver keys ConfigMaps, all listed by kustomize', () => {
    expect(docs.map((d) => `${d.kind}/${d.metadata?.name ?? ''}`).sort()).toEqual([
      'ConfigMap/dws-failover-approver-keys',
      'ConfigMap/dws-failover-inventory',
      'Deployment/dws-failover-intake',
      'Deployment/dws-failover-worker',
      'Kustomization/',
      'Service/dws-failover-intake',
    ]);
    const kustomization = byKind('Kustomization')[0]!;
    expect(kustomization.resources?.sort()).toEqual(files.filter((f) => f !== 'kustomization.yaml').sort());
  });

  it("probes the worker's /healthz and /readyz on 9464 and has it scraped there", () => {
    const worker = container('worker');
    expect(worker.args).toEqual(['worker']);
    expect(probe(worker.livenessProbe)).toBe('/healthz on 9464');
    expect(probe(worker.readinessProbe)).toBe('/readyz on 9464');
    expect(worker.ports?.map((p) => p.containerPort)).toEqual([9464]);
    expect(deployment('worker').spec!.template!.metadata.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '9464',
      'prometheus.io/path': '/metrics',
    });
  });

  it("probes the intake's /healthz and /readyz on its port, which its Service targets", () => {
    const intake = container('intake');
    expect(intake.args).toEqual(['intake']);
    const port = Number(intake.env?.find((e) => e.name === 'DWS_FAILOVER_INTAKE_PORT')?.value ?? 8080);
    expect(probe(intake.livenessProbe)).toBe(`/healthz on ${port}`);
    expect(probe(intake.readinessProbe)).toBe(`/readyz on ${port}`);
    expect(intake.ports?.map((p) => p.containerPort)).toEqual([port]);
    const service = byKind('Service')[0]!;
    expect(service.spec?.selector).toEqual(deployment('intake').spec!.template!.metadata.labels);
    expect(service.spec?.ports?.[0]?.targetPort).toBe('http');
  });

  it('takes every secret from a Secret that README.md tells how to create, and no secret as a plain value', () => {
    const readme = readFileSync(join(DIR, 'README.md'), 'utf8');
    const documented = new Set([...readme.matchAll(/kubectl create secret generic (\S+)/g)].map((m) => m[1]));
    const refs = ['worker', 'intake'].flatMap((c) => container(c).env ?? []);
    const secretRefs = refs.flatMap((e) => (e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef] : []));
    expect(secretRefs.length).toBeGreaterThanOrEqual(4);
    for (const ref of secretRefs) {
      expect(documented.has(ref.name), ref.name).toBe(true);
      expect(readme, `${ref.name} key ${ref.key}`).toMatch(new RegExp(`${ref.name} .*--from-literal=${ref.key}=`));
    }
    const secretNames = /(_AK|_SK|_TOKEN|_API_KEY|_SECRET|_PASSWORD)$/;
    for (const e of refs.filter((r) => secretNames.test(r.name))) expect(e.value, e.name).toBeUndefined();
  });

  it('runs every container as a non-root user without privilege escalation, with resources set', () => {
    for (const d of byKind('Deployment')) {
      const pod = d.spec!.template!.spec;
      expect(pod.securityContext?.runAsNonRoot, d.metadata?.name).toBe(true);
      expect(pod.securityContext?.runAsUser).not.toBe(0);
      for (const c of pod.containers) {
        expect(c.securityContext?.allowPrivilegeEscalation, c.name).toBe(false);
        expect(c.resources?.requests?.memory, c.name).toBeDefined();
        expect(c.resources?.limits?.memory, c.name).toBeDefined();
      }
    }
  });

  it('sets only variables the code reads', () => {
    const known = namesReadByCode();
    for (const c of ['worker', 'intake']) {
      for (const e of container(c).env ?? []) expect(known.has(e.name), `${c} ${e.name}`).toBe(true);
    }
  });

  it('uses one image, the one kustomize renames', () => {
    const images = new Set(byKind('Deployment').flatMap((d) => d.spec!.template!.spec.containers.map((c) => c.image)));
    expect([...images]).toEqual(['dws-failover']);
    expect(byKind('Kustomization')[0]!.images?.map((i) => i.name)).toEqual(['dws-failover']);
  });

  it('mounts an inventory that the worker accepts', () => {
    const text =
      byKind('ConfigMap').find((c) => c.metadata?.name === 'dws-failover-inventory')?.data?.['inventory.yaml'] ?? '';
    const { inventory, problems } = parseInventory(text, 'inventory-configmap.yaml', {});
    expect(problems).toEqual([]);
    expect(inventory?.pairs.length).toBeGreaterThan(0);
    for (const c of ['worker', 'intake']) {
      expect(container(c).env?.find((e) => e.name === 'DWS_FAILOVER_INVENTORY')?.value).toBe('/config/inventory.yaml');
    }
  });

  it("mounts the worker's approver keys, a file the worker accepts", () => {
    const text =
      byKind('ConfigMap').find((c) => c.metadata?.name === 'dws-failover-approver-keys')?.data?.['approver-keys'] ?? '';
    expect(parseApproverKeys(text, 'approver-keys-configmap.yaml').problems).toEqual([]);
    expect(container('worker').env?.find((e) => e.name === 'DWS_FAILOVER_APPROVER_KEYS')?.value).toBe(
      '/approvers/approver-keys'
    );
  });
});
