// The API benchmark's baseline: a bare Fastify hello-world (no logger, no plugins), run as a
// child process like the API so both are measured the same way, with the same load generator,
// in the same run (issue 6 compares against "Fastify serves ~30,000/s hello-world here").
//   node services/api/bench/hello-world-server.ts <port>
import Fastify from 'fastify';

const port = Number(process.argv[2] ?? 0);
const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
await app.listen({ host: '127.0.0.1', port });
const address = app.server.address();
process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : port}\n`);
const stop = () => void app.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
