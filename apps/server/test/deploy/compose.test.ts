/**
 * deploy/compose.yaml and deploy/Dockerfile: `docker compose config` (the plugin, or Debian's
 * `docker-compose`, which `npm test` installs) accepts the compose file — skipped with the reason
 * when neither runs, unless CI=true: then it fails — and the file's structure is checked with a
 * YAML parser everywhere: the services, N workers, the Prometheus, Alertmanager and Grafana files
 * mounted where their configurations look, and secrets only ever read from files.
 */
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { DEPLOY } from './lab-metric-names.js';

interface Service {
  readonly image?: string;
  readonly build?: { context: string; dockerfile: string };
  readonly command?: string[];
  readonly entrypoint?: string[];
  readonly environment?: Record<string, string>;
  readonly volumes?: string[];
  readonly secrets?: string[];
  readonly ports?: string[];
  readonly deploy?: { replicas?: number | string };
}
interface Compose {
  readonly services: Record<string, Service>;
  readonly secrets: Record<string, { file: string }>;
  readonly volumes: Record<string, unknown>;
}

const REQUIRED = process.env.CI === 'true';

/** The first compose command that answers here: the Docker CLI plugin, else docker-compose v1. */
const findCompose = (): string[] | undefined =>
  [['docker', 'compose'], ['docker-compose']].find((command) => {
    const [program, ...args] = command as [string, ...string[]];
    return spawnSync(program, [...args, 'version'], { encoding: 'utf8' }).status === 0;
  });
const COMPOSE = findCompose();
const SKIP_REASON = 'neither `docker compose` nor `docker-compose` runs here (Debian package docker-compose)';

describe.skipIf(COMPOSE === undefined && !REQUIRED)(
  `docker compose config${COMPOSE === undefined && !REQUIRED ? ` (skipped: ${SKIP_REASON})` : ''}`,
  () => {
    test('accepts deploy/compose.yaml and resolves the number of workers from NFLAB_WORKERS', () => {
      if (COMPOSE === undefined) throw new Error(`CI=true and ${SKIP_REASON}`);
      const [program, ...args] = COMPOSE as [string, ...string[]];
      const result = spawnSync(program, [...args, '-p', 'nflab', '-f', `${DEPLOY}compose.yaml`, 'config'], {
        cwd: DEPLOY,
        encoding: 'utf8',
        env: { ...process.env, NFLAB_WORKERS: '3', NFLAB_GRAFANA_URL: 'https://grafana.example.org' },
        timeout: 60_000,
      });
      expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
      const resolved = parseYaml(result.stdout) as { services: Record<string, Service> };
      expect(Object.keys(resolved.services).sort()).toEqual([
        'alertmanager',
        'grafana',
        'lab',
        'postgres',
        'prometheus',
        'worker',
      ]);
      expect(Number(resolved.services.worker?.deploy?.replicas)).toBe(3);
      expect(resolved.services.lab?.environment?.NFLAB_GRAFANA_URL).toBe('https://grafana.example.org');
    });
  },
);

describe('deploy/compose.yaml and deploy/Dockerfile', () => {
  let compose: Compose;

  beforeAll(async () => {
    compose = parseYaml(await readFile(`${DEPLOY}compose.yaml`, 'utf8'), { merge: true }) as Compose;
  });

  const service = (name: string): Service => {
    const found = compose.services[name];
    if (found === undefined) throw new Error(`compose.yaml has no service ${name}`);
    return found;
  };

  test('the lab server and N workers run the lab image against PostgreSQL', () => {
    const lab = service('lab');
    const worker = service('worker');
    for (const s of [lab, worker]) {
      expect(s.build).toEqual({ context: '..', dockerfile: 'deploy/Dockerfile' });
      expect(s.image).toBe('nflab:local');
      expect(s.volumes).toContain('nflab-home:/var/lib/nflab');
      expect(s.entrypoint?.join(' ')).toMatch(
        /DATABASE_URL="postgres:\/\/nflab:\$\$\(cat \/run\/secrets\/postgres_password\)@postgres:5432\/nflab"/,
      );
    }
    expect(lab.command?.slice(0, 1)).toEqual(['serve']);
    expect(lab.command).toEqual(expect.arrayContaining(['--workers', '0', '--host', '0.0.0.0']));
    expect(lab.environment?.NFLAB_GRAFANA_URL).toMatch(/^\$\{NFLAB_GRAFANA_URL:-http/);
    expect(worker.command?.[0]).toBe('worker');
    expect(worker.deploy?.replicas).toBe('${NFLAB_WORKERS:-2}');
    expect(service('postgres').image).toMatch(/^postgres:\d+/);
  });

  test('Prometheus loads deploy/prometheus with the scrape token secret; Alertmanager and Grafana their files', async () => {
    const prometheus = service('prometheus');
    expect(prometheus.volumes).toContain('./prometheus:/etc/prometheus:ro');
    expect(prometheus.command).toContain('--config.file=/etc/prometheus/prometheus.yml');
    expect(prometheus.secrets).toContain('nflab_metrics_token');
    const config = parseYaml(await readFile(`${DEPLOY}prometheus/prometheus.yml`, 'utf8')) as {
      rule_files: string[];
      alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
      scrape_configs: {
        job_name: string;
        authorization?: { credentials_file?: string };
        static_configs: { targets: string[] }[];
      }[];
    };
    expect(config.rule_files).toEqual(['rules/*.yml']);
    expect(config.alerting.alertmanagers[0]?.static_configs[0]?.targets).toEqual(['alertmanager:9093']);
    const job = config.scrape_configs.find((c) => c.job_name === 'nflab');
    expect(job?.authorization?.credentials_file).toBe('/run/secrets/nflab_metrics_token');
    expect(job?.static_configs[0]?.targets).toEqual(['lab:8080']);

    expect(service('alertmanager').volumes).toContain(
      './prometheus/alertmanager.yml:/etc/alertmanager/alertmanager.yml:ro',
    );
    const grafana = service('grafana');
    expect(grafana.volumes).toEqual(
      expect.arrayContaining([
        './grafana/provisioning:/etc/grafana/provisioning:ro',
        // The dashboard provider's path (deploy/grafana/provisioning/dashboards/nflab.yaml).
        './grafana/dashboards:/var/lib/grafana/dashboards:ro',
      ]),
    );
  });

  test('secrets come from files, never from values in the compose file', () => {
    for (const [name, secret] of Object.entries(compose.secrets))
      expect(secret.file, name).toBe(`./secrets/${name}`);
    for (const [name, s] of Object.entries(compose.services)) {
      for (const [key, value] of Object.entries(s.environment ?? {})) {
        if (/PASSWORD|TOKEN|SECRET/.test(key))
          expect(`${key}=${value}`, name).toMatch(/_FILE=\/run\/secrets\/\w+$/);
      }
      for (const secret of s.secrets ?? []) expect(compose.secrets, name).toHaveProperty(secret);
      // Published ports stay on the loopback interface.
      for (const port of s.ports ?? []) expect(port, name).toMatch(/^127\.0\.0\.1:/);
    }
  });

  test('the Dockerfile builds with npm ci on node:20-slim and runs as an unprivileged user', async () => {
    const dockerfile = await readFile(`${DEPLOY}Dockerfile`, 'utf8');
    const stages = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((match) => match[1]);
    expect(stages).toEqual(['node:20-slim', 'node:20-slim']);
    expect(dockerfile).toMatch(/^RUN npm ci\b/m);
    expect(dockerfile).toMatch(/^RUN npm run build\b/m);
    expect(dockerfile).toMatch(/^COPY --from=build /m);
    const user = [...dockerfile.matchAll(/^USER (\S+)/gm)].map((match) => match[1]);
    expect(user).toEqual(['nflab']);
    expect(dockerfile).toMatch(/useradd --system/);
  });
});
