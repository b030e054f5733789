import { describeEnv, redactSecrets, type Config } from '@rendezvous/config';
import type { Command } from '../command.ts';

export const configCommand: Command = {
  name: 'config',
  summary: 'Print the effective configuration (secrets redacted) and every variable it reads',
  usage: 'config [--json]',
  async run(args, { config, stdout }) {
    const effective = JSON.parse(redactSecrets(JSON.stringify(config))) as Config;
    if (args.includes('--json')) {
      stdout.write(JSON.stringify({ effective, variables: describeEnv() }, null, 2) + '\n');
      return 0;
    }
    stdout.write(JSON.stringify(effective, null, 2) + '\n\nVariables:\n');
    for (const v of describeEnv()) stdout.write(`  ${v.variable.padEnd(22)} default ${JSON.stringify(v.default)}  ${v.description}\n`);
    return 0;
  },
};
