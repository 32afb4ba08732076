/* global process, console */
// An example service measured by metric-lab: Express with prom-client, one route doing real CPU
// work and one returning a deliberate answer. See README.md here; metric-lab starts it with PORT.
import express from 'express';
import client from 'prom-client';

const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry }); // process_cpu_seconds_total among them
const requestSeconds = new client.Histogram({
  name: 'http_request_duration_seconds',
  help: 'Request duration by route',
  labelNames: ['method', 'route', 'status_code'],
  registers: [registry],
});
const sectionSeconds = new client.Histogram({
  name: 'section_duration_seconds',
  help: 'Time spent in named sections of a request',
  labelNames: ['section'],
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
  registers: [registry],
});

/** Times `fn` as a section. */
function section(name, fn) {
  const end = sectionSeconds.startTimer({ section: name });
  try {
    return fn();
  } finally {
    end();
  }
}

/** Real work: primes below `limit` by trial division, their count and their sum. */
export function primesBelow(limit) {
  let count = 0;
  let sum = 0;
  for (let n = 2; n < limit; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) {
      if (n % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) {
      count++;
      sum += n;
    }
  }
  return { count, sum };
}

/** The deliberate answer: a quote for a basket, with tax. */
const TAX_RATE = 0.2;
export function quote(items) {
  const net = items.reduce((total, item) => total + item.unit_cents * item.quantity, 0);
  const tax = Math.round(net * TAX_RATE);
  return { net_cents: net, tax_cents: tax, total_cents: net + tax };
}

const app = express();
app.use(express.json());
app.use((request, response, next) => {
  const end = requestSeconds.startTimer({ method: request.method });
  response.on('finish', () => end({ route: request.route?.path ?? 'unmatched', status_code: response.statusCode }));
  next();
});

app.get('/primes', (request, response) => {
  const limit = Number(request.query.limit ?? 10_000);
  if (!Number.isInteger(limit) || limit < 2 || limit > 5_000_000)
    return response.status(400).json({ error: 'limit: an integer in [2, 5000000]' });
  const result = section('primes', () => primesBelow(limit));
  response.json({ limit, ...result });
});

let requestId = 0;
app.post('/quote', (request, response) => {
  const items = request.body?.items;
  if (!Array.isArray(items)) return response.status(400).json({ error: 'items: expected a list' });
  const result = section('quote', () => quote(items));
  // Different on every response: the scenario tells the gate to ignore them.
  response.json({ ...result, request_id: ++requestId, generated_at: new Date().toISOString() });
});

app.get('/healthz', (_request, response) => response.send('ok'));
app.get('/metrics', async (_request, response) => {
  response.set('Content-Type', registry.contentType);
  response.send(await registry.metrics());
});

const port = Number(process.env.PORT ?? 3000);
const server = app.listen(port, '127.0.0.1', () => console.log(`example service listening on http://127.0.0.1:${port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
