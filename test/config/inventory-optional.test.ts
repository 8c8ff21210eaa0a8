import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';

describe('loadConfig inventory option', () => {
  const env = { DWS_FAILOVER_INVENTORY: '/nonexistent/inventory.yaml' };

  it('reports an unreadable inventory by default', () => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
  });

  it('skips the inventory for commands that only talk to a running workflow', () => {
    const config = loadConfig(env, { inventory: false });
    expect(config.inventory).toBeNull();
  });
});
