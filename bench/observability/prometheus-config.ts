import { dirname, isAbsolute, resolve } from 'node:path';
import { parse, stringify } from 'yaml';

/** The shipped configuration, relative to the repository root. */
export const SHIPPED_PROMETHEUS_CONFIG = 'observability/prometheus/prometheus.yml';
/** The job in the shipped configuration that scrapes the lab. */
export const LAB_JOB = 'metric-lab';

export interface RunnableConfigOptions {
  /** `host:port` of every lab instance to scrape. */
  targets: readonly string[];
  /** Where the shipped file lives: its relative rule_files are resolved against this directory. */
  shippedPath: string;
  /** Overrides the shipped scrape and rule-evaluation interval (tests use 1 s). */
  intervalSeconds?: number;
}

export type RunnableConfig = { ok: true; yaml: string } | { ok: false; reason: string };

interface ScrapeConfig {
  job_name?: unknown;
  static_configs?: unknown;
  [key: string]: unknown;
}

/**
 * The shipped prometheus.yml made runnable from anywhere: the lab job's targets replaced by where
 * the lab really listens, rule_files made absolute, intervals optionally shortened. Pure.
 */
export function runnableConfig(shippedYaml: string, options: RunnableConfigOptions): RunnableConfig {
  let config: unknown;
  try {
    config = parse(shippedYaml);
  } catch (error) {
    return { ok: false, reason: `${options.shippedPath}: not valid YAML: ${(error as Error).message.split('\n')[0]}` };
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    return { ok: false, reason: `${options.shippedPath}: expected a mapping at the top level` };
  }
  const root = { ...(config as Record<string, unknown>) };
  const jobs = Array.isArray(root.scrape_configs) ? (root.scrape_configs as ScrapeConfig[]) : [];
  const labJob = jobs.find((job) => job.job_name === LAB_JOB);
  if (labJob === undefined) return { ok: false, reason: `${options.shippedPath}: expected a scrape job "${LAB_JOB}", found none` };
  if (options.targets.length === 0) return { ok: false, reason: 'expected at least one target to scrape' };

  root.scrape_configs = jobs.map((job) => (job === labJob ? { ...job, static_configs: [{ targets: [...options.targets] }] } : job));
  const configDir = dirname(options.shippedPath);
  if (Array.isArray(root.rule_files)) {
    root.rule_files = (root.rule_files as unknown[]).map((file) =>
      typeof file === 'string' && !isAbsolute(file) ? resolve(configDir, file) : file,
    );
  }
  if (options.intervalSeconds !== undefined) {
    const global = typeof root.global === 'object' && root.global !== null ? { ...(root.global as Record<string, unknown>) } : {};
    const intervalMs = Math.round(options.intervalSeconds * 1000);
    global.scrape_interval = `${intervalMs}ms`;
    global.evaluation_interval = `${intervalMs}ms`;
    // Prometheus refuses a timeout longer than the interval.
    global.scrape_timeout = `${Math.round(intervalMs * 0.8)}ms`;
    root.global = global;
  }
  return { ok: true, yaml: stringify(root) };
}
