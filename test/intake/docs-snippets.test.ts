/**
 * The Grafana and PagerDuty set-ups docs/intake.md gives, parsed as their tools would and checked against what the
 * intake relies on: the route they post to, how they authenticate, the events and settings that reach it. (The
 * Alertmanager one is checked by a real amtool: alertmanager-snippet.temporal.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config';
import { PAGERDUTY_EVENTS } from '../../src/intake/pagerduty';
import { ROUTES } from '../../src/intake/routes';
import { docBlock } from './docs';

/** The route of the intake that answers a POST to `url`'s path, if any. */
const routeOf = (url: string): string | undefined =>
  ROUTES.find((r) => r.method === 'POST' && r.pattern.test(new URL(url).pathname))?.path;

describe("docs/intake.md's Grafana contact point", () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a provisioning file, read field by field
  const file: any = parse(docBlock('Grafana', 'yaml'));
  const receiver = file?.contactPoints?.[0]?.receivers?.[0];

  it('is a version-1 provisioning file with one webhook contact point that posts to the Grafana route', () => {
    expect(file.apiVersion).toBe(1);
    expect(file.contactPoints).toHaveLength(1);
    expect(receiver.type).toBe('webhook');
    expect(receiver.settings.httpMethod).toBe('POST');
    expect(routeOf(receiver.settings.url)).toBe('/v1/alerts/grafana');
  });

  it("sends the intake's bearer token from the environment variable the intake reads, in Grafana's ${VAR} form", () => {
    expect(receiver.settings.authorization_scheme).toBe('Bearer');
    const variable = /^\$\{(\w+)\}$/.exec(receiver.settings.authorization_credentials)?.[1];
    expect(variable, 'authorization_credentials must be ${VARIABLE}').toBeDefined();
    const token = 'f'.repeat(64);
    expect(loadConfig({ [variable ?? '']: token }).intake.token).toBe(token);
  });

  it('sends every alert of a group and the resolves the intake records', () => {
    expect(receiver.settings.maxAlerts).toBe(0);
    expect(receiver.disableResolveMessage).toBe(false);
  });
});

describe("docs/intake.md's PagerDuty webhook subscription", () => {
  const command = docBlock('PagerDuty', 'bash');
  // The JSON the curl command sends (-d '…').
  const data = /-d '([\s\S]*?)'/.exec(command)?.[1];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an API request body, read field by field
  const body: any = JSON.parse(data ?? 'null');
  const subscription = body?.webhook_subscription;

  it("is a valid JSON body for PagerDuty's POST /webhook_subscriptions", () => {
    expect(command).toContain('https://api.pagerduty.com/webhook_subscriptions');
    expect(subscription.type).toBe('webhook_subscription');
    expect(subscription.delivery_method.type).toBe('http_delivery_method');
    expect(subscription.filter.type).toBe('service_reference');
  });

  it('delivers to the PagerDuty route exactly the events the intake acts on', () => {
    expect(routeOf(subscription.delivery_method.url)).toBe('/v1/alerts/pagerduty');
    expect([...subscription.events].sort()).toEqual(Object.keys(PAGERDUTY_EVENTS).sort());
  });
});
