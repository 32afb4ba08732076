import { CAPTURE_SECONDS } from './limits.js';

interface EndpointDoc {
  path: string;
  /** Query string for the link on the page, if the bare path would take long. */
  example?: string;
  description: string;
}

const ENDPOINTS: readonly EndpointDoc[] = [
  {
    path: 'profile',
    example: 'seconds=5',
    description: `CPU profile over <code>seconds</code> (default ${CAPTURE_SECONDS.profile.defaultSeconds}, max ${CAPTURE_SECONDS.profile.maxSeconds}) as gzipped pprof; <code>format=cpuprofile</code> gives V8 .cpuprofile JSON for Chrome DevTools or speedscope.`,
  },
  {
    path: 'heap',
    example: 'seconds=5',
    description: `Sampling heap profile over <code>seconds</code> (default ${CAPTURE_SECONDS.heap.defaultSeconds}) as pprof: <code>mode=inuse</code> (allocations still live at the end; <code>gc=1</code> collects first) or <code>mode=alloc</code> (all sampled allocations). <code>format=heapsnapshot</code> streams a full V8 heap snapshot (pauses the process while it is taken).`,
  },
  {
    path: 'trace',
    example: 'seconds=1',
    description: `Chrome trace-event JSON over <code>seconds</code> (default ${CAPTURE_SECONDS.trace.defaultSeconds}, max ${CAPTURE_SECONDS.trace.maxSeconds}) for ui.perfetto.dev or chrome://tracing, with a "JS CPU samples" track; <code>categories=v8,node.perf</code> picks trace categories.`,
  },
  {
    path: 'goroutine',
    description:
      'The Node analogue of a goroutine dump: active resources, libuv handles and the JS stack, as text or <code>format=json</code>.',
  },
  { path: 'cmdline', description: 'The process command line, arguments separated by NUL bytes (as Go does).' },
];

const escapeHtml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');

/** Go's /debug/pprof/ index, plus the commands that open each capture. */
export function renderIndexPage(baseUrl: string): string {
  const base = escapeHtml(baseUrl);
  const rows = ENDPOINTS.map((e) => {
    const href = e.example ? `${e.path}?${e.example}` : e.path;
    return `<tr><td><a href="${href}">${e.path}</a></td><td>${e.description}</td></tr>`;
  }).join('\n');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>/debug/pprof/</title>
<style>body{font-family:sans-serif;max-width:60em;margin:1em auto}td{vertical-align:top;padding:.3em .6em}pre{background:#f4f4f4;padding:.6em}</style>
</head>
<body>
<h1>/debug/pprof/</h1>
<p>Profiles of this live Node process (pid ${process.pid}), taken in-process with <code>node:inspector</code>.
One capture runs at a time (a second gets 409); closing the connection cancels a capture.</p>
<table>
${rows}
</table>
<h2>Use</h2>
<pre>
go tool pprof -top '${base}/debug/pprof/profile?seconds=5'
go tool pprof -http=127.0.0.1:8081 '${base}/debug/pprof/profile?seconds=30'
go tool pprof -top '${base}/debug/pprof/heap?seconds=10&amp;gc=1'
curl -o profile.cpuprofile '${base}/debug/pprof/profile?seconds=5&amp;format=cpuprofile'   # DevTools / speedscope.app
curl -o trace.json '${base}/debug/pprof/trace?seconds=2'   # ui.perfetto.dev
npm run profile -- --kind cpu --seconds 10 --url ${base}
</pre>
</body>
</html>
`;
}
