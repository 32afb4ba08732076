import type { GateReport } from '../gate/types.js';
import { correctnessSentence } from './gate-table.js';
import { formatChange, formatInterval, formatValue } from './values.js';

/** JUnit XML: one test suite per scenario, one test case per metric and per variant's answers. */
export function formatGateJunit(report: GateReport, runId: string): string {
  const scenarios = [...new Set([...report.metrics.map((m) => m.scenario), ...report.correctness.map((c) => c.scenario)])];
  const suites = scenarios.map((scenario) => {
    const cases: string[] = [];
    let failures = 0;
    let errors = 0;
    let skipped = 0;
    for (const m of report.metrics.filter((x) => x.scenario === scenario)) {
      const detail = `baseline ${formatValue(m.baselineValue, m.unit)}, current ${formatValue(m.currentValue, m.unit)}, change ${formatChange(m)} ${formatInterval(m)}, allowed ${m.allowed}${m.note ? `; ${m.note}` : ''}`;
      let body = '';
      if (m.verdict === 'regression') {
        failures++;
        body = `<failure type="performance-regression" message="${xml(`${m.metric} regressed: ${formatChange(m)} (allowed ${m.allowed})`)}">${xml(detail)}</failure>`;
      } else if (m.verdict === 'invalid') {
        errors++;
        body = `<error type="invalid" message="${xml(m.note ?? 'invalid')}"/>`;
      } else if (m.verdict === 'inconclusive' || m.verdict === 'skipped') {
        skipped++;
        body = `<skipped message="${xml(`${m.verdict}: ${m.note ?? detail}`)}"/>`;
      }
      cases.push(
        `    <testcase classname="${xml(`metric-lab.${scenario}`)}" name="${xml(m.metric)}">${body}<system-out>${xml(detail)}</system-out></testcase>`,
      );
    }
    for (const c of report.correctness.filter((x) => x.scenario === scenario)) {
      let body = '';
      if (c.status === 'changed' || c.status === 'inconsistent' || c.status === 'missing') {
        failures++;
        body = `<failure type="correctness-regression" message="${xml(correctnessSentence(c))}"/>`;
      } else if (c.status === 'skipped') {
        skipped++;
        body = '<skipped message="no comparable baseline"/>';
      }
      cases.push(`    <testcase classname="${xml(`metric-lab.${scenario}`)}" name="${xml(`answers: ${c.variant}`)}">${body}</testcase>`);
    }
    return `  <testsuite name="${xml(scenario)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xml(`metric-lab gate ${runId}`)}">\n${suites.join('\n')}\n</testsuites>\n`;
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
