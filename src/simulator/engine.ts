/**
 * Everything a simulator holds, without HTTP: the store, the state machine, fault rules, the request log, IAM
 * tokens and the run-time config, plus the operations the control API and the programmatic API share.
 */
import type { ListenerOutage } from './api-outage';
import { Authenticator } from './auth';
import { clusterEventDelayMs, type ClusterEventOptions } from './cluster-events';
import { ActionCommits } from './commit';
import { applyConfigPatch, type SimulatorConfig, type SimulatorConfigPatch } from './config';
import { DwsApi } from './dws-api';
import { FaultRules, type FaultRuleInput, type FaultRuleView } from './faults';
import { TokenStore } from './iam';
import type { ResolvedSimulatorOptions } from './options';
import { normalizePairInput, type PairInput } from './pair-input';
import { seededRandom } from './random';
import { StaleReads } from './read-after-write';
import { KNOWN_DR_STATUSES, type SimCluster, type SimDr } from './records';
import { RegionOutages, type RegionOutageOptions } from './region-outage';
import { RegionCopies } from './replication';
import { RequestLog, type RequestLogEntry, type RequestLogFilter } from './request-log';
import { Scheduler } from './scheduler';
import { demoPairInput } from './seed';
import { SimState } from './state';
import { DrOperations } from './transitions';
import { clusterView, pairView, regionView, type SimClusterView, type SimPairView, type SimRegionView } from './views';

/** The simulator's settings as `GET /_sim/state` shows them (no secrets). */
export interface SimulatorSettingsView extends SimulatorConfig {
  authentication: 'on' | 'off';
  /** Accepted access keys (never the secret keys). */
  accessKeys: string[];
  /** IAM users as `domain/name` (never the passwords). */
  iamUsers: string[];
  seed: 'demo' | 'none';
  /** Seed of the random source (probabilistic faults, read-lag jitter), or null for an unseeded one. */
  randomSeed: number | null;
  projectId: string;
  region: string;
}

/** `GET /_sim/state` / `state()`. */
export interface SimStateView {
  /** The simulator's clock (ISO). */
  time: string;
  config: SimulatorSettingsView;
  /** End (ISO) of the outage in progress of the whole API (`refuseConnections`, `POST /_sim/api-outage`), or null. */
  apiOutageUntil: string | null;
  /**
   * The regions known (the default one, those of every cluster, those with an outage), default first, each with
   * its endpoint outage; `config.replicationLagMs` is the lag between the copies of a cross-region pair.
   */
  regions: SimRegionView[];
  disasterRecoveries: SimPairView[];
  clusters: SimClusterView[];
}

/** One simulator's state and behaviour, shared by the HTTP server and the programmatic API. */
export class SimulatorEngine {
  readonly scheduler = new Scheduler();
  readonly state: SimState;
  readonly operations: DrOperations;
  readonly commits: ActionCommits;
  readonly stale = new StaleReads();
  readonly copies: RegionCopies;
  readonly regionOutages = new RegionOutages();
  readonly faultRules = new FaultRules();
  readonly log: RequestLog;
  readonly tokens = new TokenStore();
  readonly auth: Authenticator;
  readonly dws: DwsApi;
  /** Draws of probabilistic faults and read-lag jitter; re-seeded on reset when a seed was given. */
  random: () => number;
  /** The server's listener control (set by the server; null for an engine without one). */
  apiOutage: ListenerOutage | null = null;
  private current: SimulatorConfig;

  constructor(readonly options: ResolvedSimulatorOptions) {
    this.current = options.config;
    const config = (): SimulatorConfig => this.current;
    this.state = new SimState(config);
    this.copies = new RegionCopies(this.state, this.stale, () => this.current.replicationLagMs);
    this.state.changes = this.copies;
    this.random = this.freshRandom();
    this.operations = new DrOperations(this.state, this.scheduler, config);
    const random = (): number => this.random();
    this.commits = new ActionCommits(this.state, this.operations, this.stale, this.scheduler, config, random);
    this.log = new RequestLog(options.requestLogLimit);
    this.auth = new Authenticator(options.credentials, options.iamUsers.length > 0, this.tokens, config);
    this.dws = new DwsApi(this.state, this.commits, this.stale, this.copies, config);
    this.seed();
  }

  /** The run-time config in force. */
  get config(): SimulatorConfig {
    return this.current;
  }

  /** Adds a DR pair and its two clusters. @throws SimInputError naming the bad field. */
  addPair(input: PairInput | undefined): SimPairView {
    const now = Date.now();
    const { switchoverStatus, failoverStatus, recoveryStatus } = this.current;
    const statuses = [...new Set([...KNOWN_DR_STATUSES, switchoverStatus, failoverStatus, recoveryStatus])];
    const pair = normalizePairInput(
      input,
      { projectId: this.options.projectId, region: this.options.region, statuses },
      now
    );
    const dr = this.state.addPair(pair, now);
    this.copies.track(dr, now);
    return this.pairView(dr, now);
  }

  /**
   * Takes a cluster down, now or `options.delayMs` later (then the answer shows the cluster as it is now).
   * @throws SimNotFoundError for an unknown cluster; SimInputError naming a bad option.
   */
  outage(clusterId: string, options?: ClusterEventOptions): SimClusterView {
    return this.clusterEvent(clusterId, options, (now) => this.state.outage(clusterId, now));
  }

  /**
   * Brings a cluster back, now or `options.delayMs` later (then the answer shows the cluster as it is now).
   * @throws SimNotFoundError for an unknown cluster; SimInputError naming a bad option.
   */
  restore(clusterId: string, options?: ClusterEventOptions): SimClusterView {
    return this.clusterEvent(clusterId, options, (now) => this.state.restore(clusterId, now));
  }

  /**
   * Takes a region's endpoint down (default: until restored, connections reset); replaces an outage of it in force.
   * @throws SimInputError naming the bad field (`region`, `durationMs`, `mode`).
   */
  regionOutage(region: string, options?: RegionOutageOptions): SimRegionView {
    const now = Date.now();
    this.regionOutages.start(region, options, now);
    return this.regionView(region, now);
  }

  /** Brings a region's endpoint back. @throws SimInputError for a bad region id. */
  regionRestore(region: string): SimRegionView {
    this.regionOutages.restore(region);
    return this.regionView(region, Date.now());
  }

  /** @throws SimInputError naming the bad field. */
  addFaults(rules: FaultRuleInput | FaultRuleInput[]): string[] {
    return this.faultRules.add(rules);
  }

  requests(filter?: RequestLogFilter): RequestLogEntry[] {
    return this.log.list(filter);
  }

  faults(): FaultRuleView[] {
    return this.faultRules.list();
  }

  snapshot(): SimStateView {
    const now = Date.now();
    const { options: o } = this;
    return {
      time: new Date(now).toISOString(),
      config: {
        ...this.current,
        authentication: this.auth.enabled ? 'on' : 'off',
        accessKeys: o.credentials.map((c) => c.ak),
        iamUsers: o.iamUsers.map((u) => `${u.domain}/${u.name}`),
        seed: o.seed,
        randomSeed: o.randomSeed,
        projectId: o.projectId,
        region: o.region,
      },
      apiOutageUntil: this.apiOutage?.untilMs ? new Date(this.apiOutage.untilMs).toISOString() : null,
      regions: this.knownRegions(now).map((region) => this.regionView(region, now)),
      disasterRecoveries: [...this.state.drs.values()].map((dr) => this.pairView(dr, now)),
      clusters: [...this.state.clusters.values()].map(clusterView),
    };
  }

  /** Changes run-time knobs; operations in flight keep their timing. @throws SimInputError naming the field. */
  configure(patch: SimulatorConfigPatch | undefined): SimulatorConfig {
    const next = applyConfigPatch(this.current, patch);
    if (next.syncIntervalMs !== this.current.syncIntervalMs) {
      this.state.reanchorAll(Date.now(), () => (this.current = next));
    } else {
      this.current = next;
    }
    return this.current;
  }

  /**
   * Back to the state at start: seeded pairs, start config, no faults, no region outages, empty log, no pending
   * commits or scheduled cluster events, the random source re-seeded. IAM tokens stay valid.
   */
  reset(): SimStateView {
    this.scheduler.clear();
    this.commits.clear();
    this.random = this.freshRandom();
    this.state.clear();
    this.stale.clear();
    this.copies.clear();
    this.regionOutages.clear();
    this.faultRules.clear();
    this.log.restart();
    this.current = this.options.config;
    this.seed();
    return this.snapshot();
  }

  /** Project id of a region name (IAM scope by name): a known pair's project in that region. */
  projectIdByName(name: string): string | undefined {
    if (name === this.options.region) return this.options.projectId;
    return [...this.state.clusters.values()].find((c) => c.region === name)?.projectId;
  }

  /** Stops every timer (operations in flight never finish). */
  stop(): void {
    this.scheduler.clear();
  }

  private pairView(dr: SimDr, nowMs: number): SimPairView {
    return pairView(this.state, dr, nowMs, this.stale.untilMs(dr, nowMs), this.copies.status(dr.id, nowMs));
  }

  private regionView(region: string, nowMs: number): SimRegionView {
    return regionView(region, region === this.options.region, this.regionOutages.current(region, nowMs));
  }

  private knownRegions(nowMs: number): string[] {
    const others = new Set([...this.state.regions(), ...this.regionOutages.regions(nowMs)]);
    others.delete(this.options.region);
    return [this.options.region, ...[...others].sort()];
  }

  private clusterEvent(
    clusterId: string,
    options: ClusterEventOptions | undefined,
    apply: (nowMs: number) => SimCluster
  ): SimClusterView {
    const delayMs = clusterEventDelayMs(options);
    const cluster = this.state.cluster(clusterId);
    if (delayMs <= 0) return clusterView(apply(Date.now()));
    // A pair re-added under the same cluster id after a reset never sees it: reset clears the timer.
    this.scheduler.after(delayMs, () => {
      if (this.state.clusters.get(clusterId) === cluster) apply(Date.now());
    });
    return clusterView(cluster);
  }

  private freshRandom(): () => number {
    const { randomSeed, random } = this.options;
    return randomSeed === null ? random : seededRandom(randomSeed);
  }

  private seed(): void {
    if (this.options.seed === 'demo') this.addPair(demoPairInput(this.options.projectId, this.options.region));
  }
}
