/**
 * deploy/prometheus: `promtool check rules` and `promtool test rules` pass (Debian's `prometheus`
 * package, which `npm test` installs; skipped with the reason when promtool is missing, unless
 * CI=true: then it fails), prometheus.yml is a configuration Prometheus accepts, every alert has a
 * unit test that sees it fire and one that sees it quiet, and every metric a rule selects is one
 * the lab's registry exports (or one the rules record).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  DEPLOY,
  readPromql,
  readRuleFiles,
  recordedNames,
  registeredSeriesNames,
  yamlFiles,
  type RuleFile,
} from './lab-metric-names.js';

const PROMTOOL = '/usr/bin/promtool';
const REQUIRED = process.env.CI === 'true';
const MISSING = !existsSync(PROMTOOL);
const SKIP_REASON = `${PROMTOOL} is missing (Debian package prometheus; npm test installs it)`;
const PROMETHEUS = `${DEPLOY}prometheus`;

/** Runs promtool in deploy/prometheus; its exit status and output. */
const promtool = (args: string[]): { status: number | null; output: string } => {
  const result = spawnSync(PROMTOOL, args, { cwd: PROMETHEUS, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
};

describe.skipIf(MISSING && !REQUIRED)(
  `promtool on deploy/prometheus${MISSING && !REQUIRED ? ` (skipped: ${SKIP_REASON})` : ''}`,
  () => {
    beforeAll(() => {
      if (MISSING) throw new Error(`CI=true and ${SKIP_REASON}`);
    });

    test('promtool check rules accepts every rule file', async () => {
      const files = await yamlFiles(`${PROMETHEUS}/rules`);
      expect(files.length).toBeGreaterThanOrEqual(3);
      const { status, output } = promtool(['check', 'rules', ...files]);
      expect(status, output).toBe(0);
      expect(output.match(/SUCCESS/g)).toHaveLength(files.length);
    });

    test('promtool test rules passes every unit test file', async () => {
      const tests = await yamlFiles(`${PROMETHEUS}/tests`);
      expect(tests.length).toBeGreaterThanOrEqual(3);
      const { status, output } = promtool(['test', 'rules', ...tests]);
      expect(status, output).toBe(0);
      expect(output).not.toMatch(/FAILED/);
    });

    test('promtool check config accepts prometheus.yml with its rules', async () => {
      // The token file is a secret compose mounts; a stand-in lets promtool check the rest.
      const dir = await mkdtemp(join(tmpdir(), 'nflab-prometheus-config-'));
      try {
        await cp(`${PROMETHEUS}/rules`, join(dir, 'rules'), { recursive: true });
        await writeFile(join(dir, 'token'), 'a-scrape-token-for-the-check-0123\n');
        const config = await readFile(`${PROMETHEUS}/prometheus.yml`, 'utf8');
        expect(config).toContain('credentials_file: /run/secrets/nflab_metrics_token');
        await writeFile(
          join(dir, 'prometheus.yml'),
          config.replace('/run/secrets/nflab_metrics_token', join(dir, 'token')),
        );
        const { status, output } = promtool(['check', 'config', join(dir, 'prometheus.yml')]);
        expect(status, output).toBe(0);
        expect(output).toMatch(/3 rule files found/);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  },
);

describe('the alert rules and their tests', () => {
  let files: RuleFile[];

  beforeAll(async () => {
    files = await readRuleFiles();
  });

  test('every metric a rule selects is exported by the lab or recorded by a rule', async () => {
    const known = new Set([...(await registeredSeriesNames()), ...recordedNames(files)]);
    expect(known.has('nflab_http_requests_total')).toBe(true);
    expect(known.has('nflab_lost_worker_runs_total')).toBe(true);
    let selected = 0;
    for (const file of files) {
      for (const rule of file.groups.flatMap((group) => group.rules)) {
        const name = rule.record ?? rule.alert ?? '?';
        const { errors, metrics } = readPromql(rule.expr);
        expect(errors, `${file.path}: ${name}`).toEqual([]);
        expect(metrics.length, `${file.path}: ${name} selects no metric`).toBeGreaterThan(0);
        for (const metric of metrics)
          expect(known.has(metric), `${file.path}: ${name} uses ${metric}`).toBe(true);
        selected += metrics.length;
      }
    }
    expect(selected).toBeGreaterThan(40);
    // The check itself sees an unknown name and a syntax error.
    expect(readPromql('rate(nflab_no_such_metric_total[5m])').metrics).toEqual([
      'nflab_no_such_metric_total',
    ]);
    expect(readPromql('sum(rate(nflab_runs[5m])').errors).not.toEqual([]);
  }, 120_000);

  test('every alert has a unit test where it fires and one where it stays quiet', async () => {
    const alerts = new Set(
      files.flatMap((file) =>
        file.groups.flatMap((group) => group.rules.flatMap((rule) => rule.alert ?? [])),
      ),
    );
    expect([...alerts].sort()).toEqual(
      expect.arrayContaining([
        'ApiAvailabilityErrorBudgetBurn',
        'ApiLatencyErrorBudgetBurn',
        'LabDiskNearlyFull',
        'LabQueueStuck',
        'LabWorkerLost',
        'QueueWaitErrorBudgetBurn',
        'RunSuccessErrorBudgetBurn',
      ]),
    );
    const fires = new Map<string, Set<string>>();
    const quiet = new Set<string>();
    const tested = new Set<string>();
    for (const path of await yamlFiles(`${PROMETHEUS}/tests`)) {
      const unit = parseYaml(await readFile(path, 'utf8')) as {
        rule_files: string[];
        tests: {
          alert_rule_test?: {
            alertname: string;
            exp_alerts: { exp_labels?: Record<string, string> }[];
          }[];
          promql_expr_test?: unknown[];
        }[];
      };
      for (const file of unit.rule_files) tested.add(file.replace(/^\.\.\//, ''));
      for (const check of unit.tests.flatMap((t) => t.alert_rule_test ?? [])) {
        if (check.exp_alerts.length === 0) quiet.add(check.alertname);
        for (const alert of check.exp_alerts) {
          const severities = fires.get(check.alertname) ?? new Set<string>();
          severities.add(alert.exp_labels?.severity ?? '');
          fires.set(check.alertname, severities);
        }
      }
    }
    for (const file of files) expect(tested, file.path).toContain(file.path.slice(PROMETHEUS.length + 1));
    for (const alert of alerts) {
      expect(fires.has(alert), `${alert} fires in no test`).toBe(true);
      expect(quiet.has(alert), `${alert} stays quiet in no test`).toBe(true);
    }
    // The burn-rate alerts come in two severities, each seen firing.
    for (const alert of [...alerts].filter((name) => name.endsWith('ErrorBudgetBurn')))
      expect([...(fires.get(alert) ?? [])].sort(), alert).toEqual(['page', 'ticket']);
  });
});
