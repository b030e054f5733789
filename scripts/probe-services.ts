// Used by setup.sh: can PostgreSQL (as DATABASE_URL and as DATABASE_MIGRATION_URL) and Redis at
// REDIS_URL be reached? Prints "pg=ok|down|superuser redis=ok|down" (superuser: the services'
// role is one, which they must not be) and always exits 0 (setup decides what to do).
import pg from 'pg';
import net from 'node:net';

async function pgState(url: string): Promise<'ok' | 'down' | 'superuser'> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ s: boolean }>('SELECT rolsuper AS s FROM pg_roles WHERE rolname = current_user');
    return rows[0]?.s ? 'superuser' : 'ok';
  } catch {
    return 'down';
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function pgOk(): Promise<string> {
  const service = process.env['DATABASE_URL'] ?? '';
  const owner = process.env['DATABASE_MIGRATION_URL'] || service;
  // One role doing both (a deployment's choice): reachable is all that can be asked.
  if (owner === service) return (await pgState(service)) === 'down' ? 'down' : 'ok';
  const [s, o] = await Promise.all([pgState(service), pgState(owner)]);
  return s === 'down' || o === 'down' ? 'down' : s;
}

// A raw RESP PING so the probe needs no client library state or retries.
function redisOk(url: string): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: u.hostname || 'localhost', port: Number(u.port || 6379) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => {
      const auth = u.password ? `AUTH ${decodeURIComponent(u.username ? u.username + ' ' : '')}${decodeURIComponent(u.password)}\r\n` : '';
      socket.write(`${auth}PING\r\n`);
    });
    socket.on('data', (d) => done(d.toString().includes('+PONG')));
  });
}

const [p, r] = await Promise.all([
  pgOk(),
  redisOk(process.env['REDIS_URL'] ?? 'redis://localhost:6379'),
]);
process.stdout.write(`pg=${p} redis=${r ? 'ok' : 'down'}`);
