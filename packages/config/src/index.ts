export { loadConfig, redactSecrets, describeEnv } from './load-config.ts';
export type { Config, Env } from './load-config.ts';
export { EnvSchema } from './schema.ts';
