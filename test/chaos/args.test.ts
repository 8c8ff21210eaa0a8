import { describe, expect, it } from 'vitest';
import { ChaosUsageError, parseChaosArgs } from '../../scripts/chaos/args';

const parse = (argv: string[]) => parseChaosArgs(argv, () => 424242);

describe('chaos command line', () => {
  it('runs 20 runs, 6 at a time, with Temporal restarts and a random seed when given nothing', () => {
    expect(parse([])).toEqual({
      help: false,
      runs: 20,
      seed: 424242,
      seedGiven: false,
      concurrency: 6,
      run: null,
      temporalRestarts: true,
      restartAt: [],
      json: false,
    });
  });

  it('takes runs, seed, concurrency, json and --no-temporal-restarts', () => {
    const args = parse(['--runs', '6', '--seed', '1', '--concurrency', '3', '--json', '--no-temporal-restarts']);
    expect(args).toMatchObject({ runs: 6, seed: 1, seedGiven: true, concurrency: 3, json: true });
    expect(args.temporalRestarts).toBe(false);
  });

  it('replays one run with the Temporal restarts it saw', () => {
    expect(parse(['--seed', '7', '--run', '4', '--restart-at', '12.5,40'])).toMatchObject({
      seed: 7,
      run: 4,
      restartAt: [12.5, 40],
    });
  });

  it('accepts the largest 32-bit seed', () => {
    expect(parse(['--seed', '4294967295']).seed).toBe(4294967295);
  });

  it('asks for help without checking anything else', () => {
    expect(parse(['--help']).help).toBe(true);
  });

  it.each([
    [['--runs', '0'], /--runs must be a whole number from 1 to 10000, got '0'/],
    [['--runs', '2.5'], /--runs must be a whole number/],
    [['--seed', 'abc'], /--seed must be a whole number from 0 to 4294967295, got 'abc'/],
    [['--seed=-1'], /--seed must be a whole number/],
    [['--seed', '-1'], /--seed needs a value/],
    [['--seed', '4294967296'], /--seed must be a whole number/],
    [['--concurrency', '99'], /--concurrency must be a whole number from 1 to 32/],
    [['--run', 'x'], /--run must be a whole number/],
    [['--restart-at', '10'], /--restart-at only applies with --run K/],
    [['--run', '1', '--restart-at', '10,,3'], /--restart-at must be a comma-separated list of seconds/],
    [['--temporal-restarts', '--no-temporal-restarts'], /contradict each other/],
    [['--rusn', '3'], /unknown flag --rusn/],
    [['--runs'], /--runs needs a value/],
    [['extra'], /unexpected argument 'extra'/],
  ])('refuses %j with an error naming the flag', (argv, message) => {
    expect(() => parse(argv)).toThrow(ChaosUsageError);
    expect(() => parse(argv)).toThrow(message);
  });
});
