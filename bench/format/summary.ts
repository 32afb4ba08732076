import { microKey } from '../results/metrics.js';
import { microSummaryMetrics, type MicroOutcome } from '../results/micro-outcome.js';
import type { BenchResults, ScenarioOutcome } from '../results/results.js';
import { formatAnswers } from '../../ci/format/answers.js';
import { describeDisagreement } from '../results/correctness.js';
import { formatMs, formatPercent, renderTable } from '../../lib/text-table.js';

/** The terminal report of a run: one block per scenario, then a verdict line. */
export function formatRunSummary(results: BenchResults, reportPath: string | null): string {
  const blocks = [...results.scenarios.map(formatScenario), ...results.micro.map(formatMicro)];
  const footer = [
    `run ${results.runId}: ${results.scenarios.length + results.micro.length} scenario(s) in ${results.durationSeconds.toFixed(1)} s` +
      (results.options.interrupted ? ' (interrupted)' : ''),
    ...(reportPath ? [`results: ${reportPath}`] : []),
  ];
  return `${[...blocks, footer.join('\n')].join('\n\n')}\n`;
}

function formatScenario(outcome: ScenarioOutcome): string {
  const { spec } = outcome;
  const load =
    spec.load.model === 'open'
      ? `open ${spec.load.rateRps} req/s, up to ${spec.load.connections} connections`
      : `closed ${spec.load.connections} connections`;
  const lines = [
    `${outcome.name} [${statusLabel(outcome)}] — ${spec.description}`,
    `  ${load}; ${spec.load.trials > 0 ? `${outcome.trials.length} trial(s) x ${spec.load.durationSeconds} s` : ''}`,
  ];
  if (outcome.status === 'errored') lines.push(`  error: ${outcome.error}`, ...outcome.labOutput.slice(-10).map((l) => `  | ${l}`));
  if (outcome.status === 'invalid') lines.push(`  invalid: ${outcome.reason}`);

  if (outcome.trials.length > 0) {
    const sections = [...new Set(outcome.trials.flatMap((t) => Object.keys(t.server.sections)))].filter((s) => s !== 'work_total').sort();
    // Exact section percentiles come from the lab's HDR histograms; a target without them shows Prometheus' bucket interpolation, named as such.
    const exact = outcome.trials.some((t) => Object.keys(t.server.exactSections).length > 0);
    const sectionP95 = (
      server: { sections: Record<string, { p95Ms: number | null }>; exactSections: Record<string, { p95Ms: number | null }> },
      s: string,
    ) => formatMs(exact ? server.exactSections[s]?.p95Ms : server.sections[s]?.p95Ms);
    const header = [
      'trial',
      'valid',
      'req/s',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'max ms',
      'errors',
      'srv mean',
      ...sections.map((s) => `${s} p95${exact ? '' : ' (buckets)'}`),
      'cpu ms/req',
    ];
    const rows = outcome.trials.map((t) => [
      String(t.index),
      t.validity.valid ? 'yes' : 'NO',
      t.client.achievedRps.toFixed(1),
      formatMs(t.client.latency.p50Ms),
      formatMs(t.client.latency.p95Ms),
      formatMs(t.client.latency.p99Ms),
      formatMs(t.client.latency.maxMs),
      formatPercent(t.errorRatio),
      formatMs(t.server.requests?.meanMs),
      ...sections.map((s) => sectionP95(t.server, s)),
      formatMs(t.server.cpuMsPerRequest),
    ]);
    const a = outcome.aggregate;
    if (a) {
      rows.push([
        'all',
        `${a.validTrials}/${outcome.trials.length}`,
        a.meanAchievedRps.toFixed(1),
        formatMs(a.latency.p50Ms),
        formatMs(a.latency.p95Ms),
        formatMs(a.latency.p99Ms),
        formatMs(a.latency.maxMs),
        formatPercent(a.errorRatio),
        formatMs(a.server.requests?.meanMs),
        ...sections.map((s) => sectionP95(a.server, s)),
        formatMs(a.server.cpuMsPerRequest),
      ]);
    }
    lines.push(renderTable(header, rows, '  '));
    for (const trial of outcome.trials) {
      if (!trial.validity.valid) lines.push(`  trial ${trial.index} invalid: ${trial.validity.reasons.join('; ')}`);
    }
  }

  for (const variant of outcome.correctness) {
    const hint =
      Object.keys(variant.digests).length > 1
        ? ' (a field that differs per response, like a timestamp or an id? list it in answer.ignore)'
        : '';
    const checksum = variant.consistent ? formatAnswers(variant, 'payload') : `INCONSISTENT: ${describeDisagreement(variant)}${hint}`;
    lines.push(`  ${variant.name}: ${checksum}`);
  }
  for (const threshold of outcome.thresholds) {
    lines.push(
      `  ${threshold.pass ? 'pass' : 'FAIL'}  ${threshold.metric} ${threshold.expression}  (${threshold.actual === null ? 'no data' : formatMs(threshold.actual)})`,
    );
  }
  return lines.join('\n');
}

function statusLabel(outcome: ScenarioOutcome): string {
  if (outcome.status !== 'ok') return outcome.status.toUpperCase();
  if (outcome.correctness.some((v) => !v.consistent)) return 'INCONSISTENT';
  return outcome.thresholds.every((t) => t.pass) ? 'pass' : 'THRESHOLD FAILED';
}

/** A micro scenario: per task, wall time per operation over the trials and instructions per operation. */
export function formatMicro(outcome: MicroOutcome): string {
  const { spec } = outcome;
  const failed = outcome.thresholds.some((t) => !t.pass);
  const status = outcome.status === 'errored' ? 'ERRORED' : failed ? 'THRESHOLD FAILED' : 'pass';
  const lines = [
    `${outcome.name} [${status}] — ${spec.description}`,
    `  micro: ${outcome.trials.length} timing trial(s) x ${spec.timing.secondsPerTrial} s per task (tinybench)${spec.instructions.enabled ? '; instructions per operation under callgrind' : ''}`,
  ];
  if (outcome.status === 'errored') lines.push(`  error: ${outcome.error}`);
  const summary = microSummaryMetrics(outcome.trials, outcome.instructions);
  const rows = spec.tasks.map(({ task, size }) => {
    const times = outcome.trials.flatMap((t) =>
      t.metrics[microKey(task, 'ns_per_op')] !== undefined ? [t.metrics[microKey(task, 'ns_per_op')] as number] : [],
    );
    const count = outcome.instructions.find((c) => c.task === task);
    const median = summary[microKey(task, 'ns_per_op')];
    return [
      task,
      Object.entries(size)
        .map(([k, v]) => `${k}=${v}`)
        .join(' '),
      median === undefined ? '-' : formatNs(median),
      times.length > 1 ? `${formatNs(Math.min(...times))} – ${formatNs(Math.max(...times))}` : '-',
      count?.status === 'ok' ? Math.round(count.instructionsPerOp).toLocaleString('en-US') : (count?.status ?? 'off'),
      count?.status === 'ok' ? `${count.instructionsPerUnit.toFixed(count.instructionsPerUnit < 100 ? 2 : 0)}/${count.unit}` : '',
      outcome.answers.find((a) => a.task === task)?.digest?.slice(0, 19) ?? '-',
    ];
  });
  lines.push(
    renderTable(['task', 'size', 'time/op (median)', 'trial range', 'instructions/op', 'per unit', 'answer'], rows, '  ', {
      textColumns: 2,
      lastIsText: true,
    }),
  );
  const problem = outcome.instructions.find((c) => c.status !== 'ok');
  if (problem?.status === 'skipped') lines.push(`  instruction counts skipped: ${problem.reason}`);
  if (problem?.status === 'errored') lines.push(`  instruction count of ${problem.task} failed: ${problem.error}`);
  for (const threshold of outcome.thresholds) {
    lines.push(
      `  ${threshold.pass ? 'pass' : 'FAIL'}  ${threshold.metric} ${threshold.expression}  (${threshold.actual === null ? 'no data' : String(Number(threshold.actual.toPrecision(6)))})`,
    );
  }
  return lines.join('\n');
}

function formatNs(ns: number): string {
  if (ns < 1_000) return `${ns.toFixed(0)} ns`;
  if (ns < 1_000_000) return `${(ns / 1_000).toFixed(1)} µs`;
  return `${(ns / 1_000_000).toFixed(2)} ms`;
}
