/**
 * Test helper for deploy/: the series names a lab server's own prom-client registry exports, and
 * the metric names a PromQL expression selects, read with Prometheus's own PromQL grammar
 * (@prometheus-io/lezer-promql, the parser of Prometheus's web UI).
 */
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parser } from '@prometheus-io/lezer-promql';
import { parse as parseYaml } from 'yaml';
import { openTestDb, testDbKinds } from '@nflab/store/testing';
import { buildServer } from '../../src/app.js';

/** The repository's deploy/ folder. */
export const DEPLOY = fileURLToPath(new URL('../../../../deploy/', import.meta.url));

/** Series Prometheus adds to every scrape itself; the only ones the deploy files may use besides the lab's. */
const PROMETHEUS_SERIES = ['up'];

/** Every series name the registry of a lab server built by `buildServer` exports. */
export const registeredSeriesNames = async (): Promise<Set<string>> => {
  // PostgreSQL when reachable: only a server's pool registers the pool metrics.
  const kind = (await testDbKinds()).at(-1) ?? 'pglite';
  const db = await openTestDb(kind, { migrate: true });
  try {
    const pooled =
      db.poolStats !== undefined
        ? db
        : // PGlite has no pool: stats stand in so that the registry holds what a server's would.
          { ...db, poolStats: () => ({ idle: 0, inUse: 0, waiting: 0, max: 1 }) };
    const app = await buildServer({
      db: pooled,
      webRoot: false,
      metricsToken: 'names-of-the-lab-metrics-0123',
    });
    try {
      const scrape = app.scrape;
      if (scrape === undefined) throw new Error('the server built no metrics registry');
      const names = new Set<string>(PROMETHEUS_SERIES);
      for (const metric of await scrape.metrics.registry.getMetricsAsJSON()) {
        const type = String(metric.type);
        names.add(metric.name);
        if (type === 'histogram' || type === 'summary') {
          names.add(`${metric.name}_sum`);
          names.add(`${metric.name}_count`);
        }
        if (type === 'histogram') names.add(`${metric.name}_bucket`);
      }
      return names;
    } finally {
      await app.close();
    }
  } finally {
    await db.close();
  }
};

/** What {@link readPromql} finds in one expression. */
export interface PromqlReading {
  /** The source text of each syntax error node, with its offset. */
  readonly errors: string[];
  /** Metric names the expression selects (`name{…}` and `{__name__="name"}`). */
  readonly metrics: string[];
}

/**
 * Grafana's interval variables stand where PromQL wants a duration; any other `$var` / `${var}`
 * is left as it is (inside a label matcher's string it is text to the parser).
 */
const GRAFANA_DURATIONS =
  /\$(?:__rate_interval|__interval|__range)\b|\$\{(?:__rate_interval|__interval|__range)\}/g;

/** Parses `expr` with Prometheus's PromQL grammar: its syntax errors and the metric names it selects. */
export const readPromql = (expr: string): PromqlReading => {
  const text = expr.replace(GRAFANA_DURATIONS, '5m');
  const errors: string[] = [];
  const metrics: string[] = [];
  parser.parse(text).iterate({
    enter(node) {
      if (node.type.isError)
        errors.push(`at ${node.from}: ${JSON.stringify(text.slice(node.from, node.to + 10))}`);
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector')
        metrics.push(text.slice(node.from, node.to));
      if (node.name === 'UnquotedLabelMatcher' && /^__name__\s*=\s*"/.test(text.slice(node.from, node.to)))
        metrics.push(text.slice(node.from, node.to).replace(/^__name__\s*=\s*"(.*)"$/, '$1'));
    },
  });
  return { errors, metrics };
};

/** One rule of a Prometheus rule file. */
export interface Rule {
  readonly record?: string;
  readonly alert?: string;
  readonly expr: string;
  readonly labels?: Record<string, string>;
}

/** A rule file: the groups of rules Prometheus loads from it. */
export interface RuleFile {
  readonly path: string;
  readonly groups: { readonly name: string; readonly rules: Rule[] }[];
}

/** Every `*.yml` of `folder` (absolute paths), sorted. */
export const yamlFiles = async (folder: string): Promise<string[]> =>
  (await readdir(folder))
    .filter((name) => name.endsWith('.yml') || name.endsWith('.yaml'))
    .sort()
    .map((name) => `${folder}/${name}`);

/** The rule files of deploy/prometheus/rules. */
export const readRuleFiles = async (): Promise<RuleFile[]> =>
  Promise.all(
    (await yamlFiles(`${DEPLOY}prometheus/rules`)).map(async (path) => ({
      path,
      ...(parseYaml(await readFile(path, 'utf8')) as Omit<RuleFile, 'path'>),
    })),
  );

/** Names the rule files record, which dashboards and alerts may select beside the lab's own series. */
export const recordedNames = (files: readonly RuleFile[]): Set<string> =>
  new Set(
    files.flatMap((file) => file.groups.flatMap((group) => group.rules.flatMap((rule) => rule.record ?? []))),
  );
