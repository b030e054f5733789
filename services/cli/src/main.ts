// The operator CLI: `npm run cli -- <command> [args]`. Results go to stdout (JSON where a script
// reads them), logs and errors to stderr; exit code 0 on success, 2 on usage errors, 78 on bad configuration, 1
// otherwise (@rendezvous/runtime runCommand).
import { loadConfig } from '@rendezvous/config';
import { createLogger } from '@rendezvous/logger';
import { runCommand } from '@rendezvous/runtime';
import type { Command } from './command.ts';
import { configCommand } from './commands/config-command.ts';
import { ingestCommand } from './commands/ingest-command.ts';
import { listsCommand } from './commands/lists-command.ts';
import { suspectsCommand } from './commands/suspects-command.ts';
import { vesselCommand } from './commands/vessel-command.ts';
import { alertsCommand } from './commands/alerts-command.ts';
import { reprocessCommand } from './commands/reprocess-command.ts';
import { simulateCommand } from './commands/simulate-command.ts';
import { migrateCommand } from './commands/migrate-command.ts';
import { pingCommand } from './commands/ping-command.ts';
import { tokenCommand } from './commands/token-command.ts';

const COMMANDS: Command[] = [ingestCommand, listsCommand, suspectsCommand, vesselCommand, alertsCommand, reprocessCommand, simulateCommand, migrateCommand, pingCommand, configCommand, tokenCommand];

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.usage.length));
  return [
    'Usage: npm run cli -- <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    '',
    'Configuration comes from environment variables (see `npm run cli -- config`).',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help() + '\n');
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`Unknown command "${name}".\n\n${help()}\n`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`Usage: npm run cli -- ${command.usage}\n\n${command.summary}\n`);
    return 0;
  }
  const config = loadConfig();
  // Logs to stderr (fd 2): stdout is reserved for results.
  const logger = createLogger(config.log, 'cli', { to: 'stderr' });
  return command.run(args, { config, logger, stdout: process.stdout });
}

await runCommand(() => main(process.argv.slice(2)));
