import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@rendezvous/errors';
import { describeEnv, loadConfig, redactSecrets } from '../src/index.ts';

describe('loadConfig', () => {
  it('applies documented defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.http.port).toBe(3000);
    expect(config.log.level).toBe('info');
    expect(config.db.url).toMatch(/^postgres:\/\//);
    expect(config.redis.prefix).toBe('rzv');
  });

  it('coerces numeric strings and keeps given values', () => {
    const config = loadConfig({ PORT: '8080', DATABASE_POOL_MAX: '4', LOG_LEVEL: 'debug', REDIS_URL: 'redis://cache:6380/2' });
    expect(config.http.port).toBe(8080);
    expect(config.db.poolMax).toBe(4);
    expect(config.log.level).toBe('debug');
    expect(config.redis.url).toBe('redis://cache:6380/2');
  });

  it.each([
    ['PORT', 'eighty', /PORT: must be integer \(got "eighty"\)/],
    ['PORT', '70000', /PORT: .*65535/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent/],
    ['DATABASE_URL', 'mysql://db/x', /DATABASE_URL: must match pattern/],
    ['REDIS_PREFIX', 'has space', /REDIS_PREFIX: must match pattern/],
  ])('rejects %s=%s with a message naming the variable', (variable, value, message) => {
    let error: unknown;
    try {
      loadConfig({ [variable]: value });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.variable)).toEqual([variable]);
    expect((error as Error).message).toMatch(message);
  });

  it('reports every bad variable at once', () => {
    expect(() => loadConfig({ PORT: 'x', LOG_LEVEL: 'y' })).toThrow(/PORT[\s\S]*LOG_LEVEL/);
  });

  it('never echoes a password in its message', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://user:hunter2@db/x' })).toThrow(/user:\*\*\*@db/);
    expect(redactSecrets('postgres://a:b@h/d and redis://:pw@r:6379')).toBe('postgres://a:***@h/d and redis://:***@r:6379');
  });

  it('README documents every variable with its default', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    for (const v of describeEnv()) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${v.variable}\``));
      expect(row, `README configuration table lacks ${v.variable}`).toBeDefined();
      expect(row).toContain(String(v.default));
    }
  });
});
