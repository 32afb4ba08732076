import type { Metric, Registry } from 'prom-client';

/**
 * Classic Prometheus histograms and counters for the request hot path, registered in a
 * prom-client registry through its custom-metric interface (`get`, `getForPromString`, `reset`),
 * so exposition, cluster aggregation and the text format stay prom-client's.
 *
 * Why not prom-client's Histogram and labelled Counter: each `observe(labels, value)` allocates,
 * walks the label names, builds a hash string and finds the bucket by its stringified bound —
 * about 1 µs per call in the running lab, seven calls per request, which made instrumentation
 * cost ~14% of zero-work throughput (npm run bench:overhead). Here a child per label set is
 * looked up once and cached by the caller; `observe` scans a few bounds and adds.
 */
export class LabeledHistogram<L extends string> {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly L[];
  readonly #bounds: Float64Array;
  readonly #children = new Map<string, HistogramChild<L>>();

  constructor(config: {
    name: string;
    help: string;
    labelNames: readonly L[];
    buckets: readonly number[];
    registers: readonly Registry[];
  }) {
    const sorted = [...config.buckets].every((b, i, all) => Number.isFinite(b) && (i === 0 || b > (all[i - 1] as number)));
    if (!sorted || config.buckets.length === 0) throw new RangeError(`${config.name}: buckets must be finite and strictly increasing`);
    this.name = config.name;
    this.help = config.help;
    this.labelNames = config.labelNames;
    this.#bounds = Float64Array.from(config.buckets);
    // prom-client's registry takes any object with this shape; its Metric type is a class.
    for (const registry of config.registers) registry.registerMetric(this as unknown as Metric);
  }

  /** The series for one label set; keep it and call `observe` on it in hot code. */
  child(labels: Readonly<Record<L, string>>): HistogramChild<L> {
    return childFor(this, this.#children, labels, (copy) => new HistogramChild(this.#bounds, copy));
  }

  observe(labels: Readonly<Record<L, string>>, value: number): void {
    this.child(labels).observe(value);
  }

  /** Zeroes every series in place: children handed out earlier stay valid. */
  reset(): void {
    for (const child of this.#children.values()) child.reset();
  }

  /** prom-client's text exposition reads this: `le` first, then the series' labels, like its Histogram. */
  getForPromString() {
    const values: Array<{
      metricName: string;
      labels: Record<string, string | number>;
      sharedLabels: Record<string, string>;
      value: number;
    }> = [];
    for (const child of this.#children.values()) {
      let cumulative = 0;
      this.#bounds.forEach((bound, i) => {
        cumulative += child.counts[i] as number;
        values.push({ metricName: `${this.name}_bucket`, labels: { le: bound }, sharedLabels: child.labels, value: cumulative });
      });
      values.push(
        { metricName: `${this.name}_bucket`, labels: { le: '+Inf' }, sharedLabels: child.labels, value: child.count },
        { metricName: `${this.name}_sum`, labels: {}, sharedLabels: child.labels, value: child.sum },
        { metricName: `${this.name}_count`, labels: {}, sharedLabels: child.labels, value: child.count },
      );
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  /** JSON form (cluster aggregation, getMetricsAsJSON): labels merged, as prom-client's Histogram gives them. */
  get() {
    const data = this.getForPromString();
    return {
      ...data,
      values: data.values.map(({ metricName, labels, sharedLabels, value }) => ({
        metricName,
        labels: { ...sharedLabels, ...labels },
        value,
      })),
    };
  }
}

export class HistogramChild<L extends string> {
  /** Non-cumulative counts per finite bound; the +Inf bucket is `count`. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(
    private readonly bounds: Float64Array,
    readonly labels: Readonly<Record<L, string>>,
  ) {
    this.counts = new Float64Array(bounds.length);
  }

  observe(value: number): void {
    if (!Number.isFinite(value)) throw new TypeError(`histogram value must be a finite number, got ${value}`);
    const { bounds } = this;
    let i = 0;
    while (i < bounds.length && value > (bounds[i] as number)) i++;
    if (i < bounds.length) this.counts[i] = (this.counts[i] ?? 0) + 1;
    this.sum += value;
    this.count++;
  }

  reset(): void {
    this.counts.fill(0);
    this.sum = 0;
    this.count = 0;
  }
}

/**
 * A labelled counter with the same hot-path design: callers cache a child per label set, and
 * `inc` is one addition (prom-client's Counter.inc(labels) hashes the labels on every call).
 */
export class LabeledCounter<L extends string> {
  readonly type = 'counter';
  readonly aggregator = 'sum';
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly L[];
  readonly #children = new Map<string, CounterChild<L>>();

  constructor(config: { name: string; help: string; labelNames: readonly L[]; registers: readonly Registry[] }) {
    this.name = config.name;
    this.help = config.help;
    this.labelNames = config.labelNames;
    for (const registry of config.registers) registry.registerMetric(this as unknown as Metric);
  }

  child(labels: Readonly<Record<L, string>>): CounterChild<L> {
    return childFor(this, this.#children, labels, (copy) => new CounterChild(copy));
  }

  inc(labels: Readonly<Record<L, string>>, by = 1): void {
    this.child(labels).inc(by);
  }

  reset(): void {
    for (const child of this.#children.values()) child.value = 0;
  }

  get() {
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values: [...this.#children.values()].map((child) => ({ labels: { ...child.labels }, value: child.value })),
    };
  }
}

export class CounterChild<L extends string> {
  value = 0;
  constructor(readonly labels: Readonly<Record<L, string>>) {}

  inc(by = 1): void {
    if (!(by >= 0) || !Number.isFinite(by)) throw new TypeError(`counters only go up by finite amounts, got ${by}`);
    this.value += by;
  }
}

/** The series for one label set, created on first use (label values checked then, not per call). */
function childFor<L extends string, C>(
  metric: { readonly name: string; readonly labelNames: readonly L[] },
  children: Map<string, C>,
  labels: Readonly<Record<L, string>>,
  create: (labels: Readonly<Record<L, string>>) => C,
): C {
  const key = metric.labelNames.map((name) => labels[name]).join('\u0000');
  let child = children.get(key);
  if (child === undefined) {
    for (const name of metric.labelNames) {
      if (typeof labels[name] !== 'string') throw new TypeError(`${metric.name}: label "${name}" is missing`);
    }
    child = create({ ...labels });
    children.set(key, child);
  }
  return child;
}
