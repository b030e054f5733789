import type { Redis } from 'ioredis';
import type { Config } from '@rendezvous/config';
import type { DatabaseHandle } from '@rendezvous/db';
import type { Logger } from '@rendezvous/logger';
import type { AlertChangeFeed } from './changes/change-feed.ts';

/** What the issue 14 route plugins get from buildApp: the app's shared handles and its alert change feed. */
export interface ApiPluginDependencies {
  config: Config;
  logger: Logger;
  database: DatabaseHandle;
  redis: Redis;
  alertChanges: AlertChangeFeed;
}
