import {
  PROFILE_METHOD_NOTE,
  PROFILE_NODE_FLAGS,
  type DifferentialProfile,
  type DifferentialRow,
  type HotFunction,
  type ProfiledRun,
  type ProfileFile,
} from '../profile/types.js';
import { formatBytes, formatMs, formatPoints, formatRatio } from './format.js';
import { anchorId, breakablePath, html, type SafeHtml } from './html.js';

const FILE_LABELS: Record<ProfileFile['kind'], string> = {
  'flamegraph-html': 'flamegraph',
  cpuprofile: 'CPU profile (.cpuprofile: Chrome DevTools, speedscope)',
  'doctor-html': 'clinic doctor report',
  'differential-html': 'differential profile',
};

/** A link to a file of the run; `prefix` leads from the page to the run folder. */
export function fileLink(file: ProfileFile, prefix = ''): SafeHtml {
  return html`<a href="${prefix}${file.path}">${FILE_LABELS[file.kind]}</a> <span class="muted">(<code>${file.path}</code>, ${formatBytes(file.bytes)})</span>`;
}

/** `--profile` runs of one scenario: links to what each produced, and its hottest functions. */
export function renderScenarioProfiles(runs: readonly ProfiledRun[]): SafeHtml | '' {
  if (runs.length === 0) return '';
  return html`<h3>Profiles</h3>
${runs.map(
  (
    run,
  ) => html`<p><strong>${run.profiler}</strong> (${run.purpose === 'requested' ? 'requested with --profile' : 'captured for the regression'}, ${run.side} lab, ${run.loadSeconds} s of load, node ${run.nodeFlags.join(' ')}):
${run.status === 'ok' ? html`<span class="status ok">produced</span>` : html`<span class="status fail">failed</span>`}</p>
${run.status === 'failed' ? html`<p class="error">${run.error}</p>` : ''}
${run.files.length > 0 ? html`<ul>${run.files.map((f) => html`<li>${fileLink(f)}</li>`)}</ul>` : ''}
${run.status === 'ok' && run.hottest.length > 0 ? hottestTable(run.hottest.slice(0, 5), `Widest frames of the ${run.profiler} profile (most self time)`) : ''}`,
)}`;
}

export function hottestTable(hottest: readonly HotFunction[], caption: string): SafeHtml {
  return html`<div class="table-wrap"><table><caption>${caption}</caption>
<thead><tr><th scope="col">Function</th><th scope="col">Location</th><th scope="col" class="num">Self</th><th scope="col" class="num">Total</th></tr></thead>
<tbody>${hottest.map(
    (f) =>
      html`<tr><td><code class="name">${f.functionName}</code></td><td>${breakablePath(f.location || '(native)')}</td><td class="num">${formatRatio(f.selfShare, 1)}</td><td class="num">${formatRatio(f.totalShare, 1)}</td></tr>`,
  )}</tbody></table></div>`;
}

/** "Where the time went" for each regressed scenario: the differential tables and links. */
export function renderDifferentials(differentials: readonly DifferentialProfile[], prefix = ''): SafeHtml | '' {
  if (differentials.length === 0) return '';
  return html`<section id="differential-profiles" aria-labelledby="differential-title">
<h2 id="differential-title">Where the time went: differential profiles of regressed scenarios</h2>
<p>${methodNote()}</p>
${differentials.map((d) => renderDifferential(d, prefix, 5))}
</section>`;
}

/** How the profiles were taken, with the node flag set as code (and never broken at its dashes). */
export function methodNote(): SafeHtml {
  const [before, after] = PROFILE_METHOD_NOTE.split(PROFILE_NODE_FLAGS.join(' '));
  return html`${before}<code class="name">${PROFILE_NODE_FLAGS.join(' ')}</code>${after ?? ''}`;
}

export function renderDifferential(d: DifferentialProfile, prefix: string, rowLimit: number): SafeHtml {
  const heading = html`<h3 id="${anchorId('differential', d.scenario)}">${d.scenario}</h3>`;
  if (d.status === 'unavailable') {
    return html`${heading}<p class="note">No differential profile: ${d.reason}</p>
${d.current ? html`<p>The current lab's profile: <a href="${prefix}${d.current.profilePath}">${d.current.profilePath}</a> (${d.current.busySamples} busy samples).</p>` : ''}`;
  }
  const side = (s: typeof d.baseline) =>
    html`${s.label}${s.commit ? html` (<code>${s.commit.slice(0, 12)}</code>)` : ''}: ${s.busySamples} busy samples, <a href="${prefix}${s.profilePath}">${s.profilePath}</a>`;
  return html`${heading}
<ul><li>${side(d.baseline)}</li><li>${side(d.current)}</li>${d.files.map((f) => html`<li>${fileLink(f, prefix)} — tables and the differential flamegraph</li>`)}</ul>
${d.notes.map((n) => html`<p class="note">${n}</p>`)}
${differentialTable(d.bySelf.slice(0, rowLimit), 'self', `${d.scenario}: functions whose self time grew most (share of busy samples with the function on top of the stack)`)}
${differentialTable(d.byTotal.slice(0, rowLimit), 'total', `${d.scenario}: functions whose total time grew most (share of busy samples with the function anywhere on the stack)`)}`;
}

export function differentialTable(rows: readonly DifferentialRow[], by: 'self' | 'total', caption: string): SafeHtml {
  if (rows.length === 0) return html`<p>${caption}: no function's share grew.</p>`;
  const pick = (side: DifferentialRow['baseline']) =>
    by === 'self' ? { share: side.selfShare, ms: side.selfMs } : { share: side.totalShare, ms: side.totalMs };
  return html`<div class="table-wrap"><table><caption>${caption}</caption>
<thead><tr><th scope="col">Function</th><th scope="col">Location</th><th scope="col" class="num">Baseline ${by}</th><th scope="col" class="num">Current ${by}</th><th scope="col" class="num">Change</th><th scope="col" class="num">Baseline ${by} time</th><th scope="col" class="num">Current ${by} time</th></tr></thead>
<tbody>${rows.map((r) => {
    const b = pick(r.baseline);
    const c = pick(r.current);
    return html`<tr><td><code class="name">${r.functionName}</code></td><td>${breakablePath(r.location || '(native)')}</td><td class="num">${formatRatio(b.share, 1)}</td><td class="num">${formatRatio(c.share, 1)}</td><td class="num"><strong>${formatPoints(by === 'self' ? r.selfShareChange : r.totalShareChange)}</strong></td><td class="num">${formatMs(b.ms)}</td><td class="num">${formatMs(c.ms)}</td></tr>`;
  })}</tbody></table></div>`;
}
