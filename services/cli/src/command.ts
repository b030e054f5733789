import type { Config } from '@rendezvous/config';
import type { Logger } from '@rendezvous/logger';

export interface CommandContext {
  config: Config;
  /** Logs go to stderr, so stdout carries only the command's result (JSON for scripts). */
  logger: Logger;
  stdout: NodeJS.WritableStream;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Returns the process exit code. */
  run(args: string[], ctx: CommandContext): Promise<number>;
}
