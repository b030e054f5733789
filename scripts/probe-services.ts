// Used by setup.sh: can PostgreSQL and Redis at DATABASE_URL/REDIS_URL be reached? Prints
// "pg=ok|down redis=ok|down" and always exits 0 (setup decides what to do).
import pg from 'pg';
import net from 'node:net';

async function pgOk(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
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
  pgOk(process.env['DATABASE_URL'] ?? ''),
  redisOk(process.env['REDIS_URL'] ?? 'redis://localhost:6379'),
]);
process.stdout.write(`pg=${p ? 'ok' : 'down'} redis=${r ? 'ok' : 'down'}`);
