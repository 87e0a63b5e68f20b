/**
 * deploy/grafana: every dashboard is JSON with the structure Grafana needs (uid, title, panels with
 * a datasource and targets), every PromQL expression parses with Prometheus's own grammar and
 * selects only series the lab's registry exports or the rules record, run-level panels link to
 * the lab's run pages, and the provisioning files point at the dashboards and the datasource.
 */
import { readdir, readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  DEPLOY,
  readPromql,
  readRuleFiles,
  recordedNames,
  registeredSeriesNames,
} from './lab-metric-names.js';

const DASHBOARDS = `${DEPLOY}grafana/dashboards`;
const DATASOURCE_UID = 'nflab-prometheus';

interface Target {
  readonly refId?: string;
  readonly expr?: string;
  readonly legendFormat?: string;
  readonly datasource?: { readonly uid?: string };
}
interface Panel {
  readonly id?: number;
  readonly type?: string;
  readonly title?: string;
  readonly datasource?: { readonly type?: string; readonly uid?: string };
  readonly targets?: Target[];
  readonly gridPos?: { x: number; y: number; w: number; h: number };
  readonly panels?: Panel[];
  readonly fieldConfig?: { readonly defaults?: { readonly links?: { url: string }[] } };
}
interface Dashboard {
  readonly uid?: string;
  readonly title?: string;
  readonly panels?: Panel[];
  readonly templating?: { readonly list?: { name: string; query?: unknown }[] };
}

/** Panels, those nested in collapsed rows included. */
const allPanels = (panels: readonly Panel[]): Panel[] =>
  panels.flatMap((panel) => [panel, ...allPanels(panel.panels ?? [])]);

/** Panels that show text or group others query nothing. */
const QUERYLESS = new Set(['row', 'text']);

describe('the Grafana dashboards', () => {
  let dashboards: [string, Dashboard][];
  let known: Set<string>;

  beforeAll(async () => {
    const names = (await readdir(DASHBOARDS)).filter((name) => name.endsWith('.json')).sort();
    dashboards = await Promise.all(
      names.map(async (name): Promise<[string, Dashboard]> => [
        name,
        JSON.parse(await readFile(`${DASHBOARDS}/${name}`, 'utf8')) as Dashboard,
      ]),
    );
    known = new Set([...(await registeredSeriesNames()), ...recordedNames(await readRuleFiles())]);
  }, 120_000);

  test('the lab overview, training and monitoring dashboards, each with a unique uid and title', () => {
    expect(dashboards.map(([name]) => name)).toEqual([
      'lab-overview.json',
      'monitoring.json',
      'training.json',
    ]);
    const uids = dashboards.map(([, dashboard]) => dashboard.uid);
    expect(uids).toEqual(['nflab-overview', 'nflab-monitoring', 'nflab-training']);
    for (const [name, dashboard] of dashboards) {
      expect(dashboard.uid, name).toMatch(/^[a-zA-Z0-9_-]{1,40}$/);
      expect(dashboard.title, name).toMatch(/\S/);
      expect(dashboard.panels?.length, name).toBeGreaterThan(3);
    }
    expect(new Set(dashboards.map(([, dashboard]) => dashboard.title)).size).toBe(dashboards.length);
  });

  test('every panel has a unique id and a place; every querying panel a datasource and targets', () => {
    for (const [name, dashboard] of dashboards) {
      const panels = allPanels(dashboard.panels ?? []);
      const ids = panels.map((panel) => panel.id);
      expect(new Set(ids).size, name).toBe(ids.length);
      for (const panel of panels) {
        const where = `${name}: ${panel.title ?? '?'}`;
        expect(panel.id, where).toEqual(expect.any(Number));
        expect(panel.type, where).toEqual(expect.any(String));
        expect(panel.title, where).toMatch(/\S/);
        const grid = panel.gridPos;
        expect(grid, where).toBeDefined();
        if (grid !== undefined) expect(grid.x + grid.w, where).toBeLessThanOrEqual(24);
        if (QUERYLESS.has(panel.type ?? '')) continue;
        expect(panel.datasource, where).toEqual({ type: 'prometheus', uid: DATASOURCE_UID });
        expect(panel.targets?.length, where).toBeGreaterThan(0);
        const refIds = (panel.targets ?? []).map((target) => target.refId);
        expect(new Set(refIds).size, where).toBe(refIds.length);
        for (const target of panel.targets ?? []) {
          expect(target.expr, where).toMatch(/\S/);
          expect(target.datasource?.uid, where).toBe(DATASOURCE_UID);
        }
      }
    }
  });

  test('every PromQL expression parses and selects only series the lab exports or the rules record', () => {
    let checked = 0;
    for (const [name, dashboard] of dashboards) {
      const exprs = allPanels(dashboard.panels ?? []).flatMap((panel) =>
        (panel.targets ?? []).map((target) => [`${name}: ${panel.title ?? '?'}`, target.expr ?? ''] as const),
      );
      // Template variables' queries are PromQL too (label_values() is Grafana's; its argument is not).
      for (const variable of dashboard.templating?.list ?? []) {
        const query = variable.query as { query?: string } | string | undefined;
        const text = typeof query === 'object' ? query.query : undefined;
        const inner = text === undefined ? undefined : /^label_values\((.+), *\w+\)$/.exec(text)?.[1];
        if (inner !== undefined) exprs.push([`${name}: variable ${variable.name}`, inner]);
      }
      for (const [where, expr] of exprs) {
        const { errors, metrics } = readPromql(expr);
        expect(errors, `${where}: ${expr}`).toEqual([]);
        expect(metrics.length, `${where}: ${expr}`).toBeGreaterThan(0);
        for (const metric of metrics) expect(known.has(metric), `${where} uses ${metric}`).toBe(true);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(30);
    // Grafana's variables are handled, and the check would see what it is for.
    expect(readPromql('rate(nflab_runs{run_id=~"$run_id"}[$__rate_interval])').errors).toEqual([]);
    expect(readPromql('rate(nflab_runs{run_id=~"$run_id"}[$__rate_interval]').errors).not.toEqual([]);
  });

  test('panels showing runs link to the run pages; the training dashboard is filtered by run_id', () => {
    const byUid = new Map(dashboards.map(([, dashboard]) => [dashboard.uid, dashboard]));
    const training = byUid.get('nflab-training');
    const variables = training?.templating?.list?.map((variable) => variable.name);
    let linked = 0;
    expect(variables).toEqual(expect.arrayContaining(['run_id', 'lab_url']));
    for (const [name, dashboard] of dashboards) {
      for (const panel of allPanels(dashboard.panels ?? [])) {
        const exprs = (panel.targets ?? []).map((target) => target.expr ?? '');
        // A panel shows runs when its series keep the run id: a legend or a table naming each run.
        const showsRuns =
          exprs.some((expr) => expr.includes('nflab_running_run_')) &&
          (panel.type === 'table' ||
            (panel.targets ?? []).some((t) => t.legendFormat?.includes('{{run_id}}')));
        if (!showsRuns) continue;
        linked += 1;
        const links = panel.fieldConfig?.defaults?.links ?? [];
        expect(
          links.map((link) => link.url),
          `${name}: ${panel.title ?? '?'}`,
        ).toContainEqual(
          expect.stringMatching(/^\$\{lab_url\}\/runs\/\$\{__(field\.labels|data\.fields)\.run_id\}$/),
        );
        if (dashboard.uid === 'nflab-training')
          for (const expr of exprs) expect(expr, panel.title).toContain('run_id=~"$run_id"');
      }
    }
    expect(linked).toBeGreaterThanOrEqual(5);
  });

  test('provisioning loads the dashboards folder and the datasource the panels name', async () => {
    const datasources = parseYaml(
      await readFile(`${DEPLOY}grafana/provisioning/datasources/prometheus.yaml`, 'utf8'),
    ) as { apiVersion: number; datasources: { uid: string; type: string; url: string }[] };
    expect(datasources.apiVersion).toBe(1);
    expect(datasources.datasources).toEqual([
      expect.objectContaining({ uid: DATASOURCE_UID, type: 'prometheus', url: 'http://prometheus:9090' }),
    ]);
    const providers = parseYaml(
      await readFile(`${DEPLOY}grafana/provisioning/dashboards/nflab.yaml`, 'utf8'),
    ) as {
      apiVersion: number;
      providers: { type: string; options: { path: string } }[];
    };
    expect(providers.apiVersion).toBe(1);
    expect(providers.providers).toEqual([
      expect.objectContaining({ type: 'file', options: { path: '/var/lib/grafana/dashboards' } }),
    ]);
  });
});
