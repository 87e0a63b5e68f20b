/**
 * MLflow's registry and logged-model API beyond the recorded session, on both databases: MLflow's
 * error codes for taken names, unknown models/versions/aliases and bad stages, versions and
 * aliases (`latest`, `v2`), filters; rename carrying versions and aliases along; Production and
 * deleting what is there for admins only; archive_existing_versions; get-latest-versions; search
 * paging; and the audit entries (model.create/rename/delete/version_create/version_delete/stage/alias).
 * Who may call each route (401/403) is checked for every MLflow route in mlflow-routes.test.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';
import { buildServer } from '../src/app.js';
import { mlflowCaller, type MlflowCall } from './mlflow-client.js';

const API = '/api/2.0/mlflow';

describe.each(await testDbKinds())('MLflow registry API on %s', (kind) => {
  let db: TestDb;
  let app: FastifyInstance;
  let artifactRoot: string;
  let asEditor: MlflowCall;
  let asAdmin: MlflowCall;

  const post = (url: string, json: unknown, call: MlflowCall = asEditor) =>
    call({ method: 'POST', url: `${API}/${url}`, json });
  const error = async (response: Awaited<ReturnType<MlflowCall>>, status: number, code: string) => {
    expect(response.statusCode, response.body).toBe(status);
    expect(response.json()).toMatchObject({ error_code: code });
    return response.json().message as string;
  };
  const auditActions = async (name: string): Promise<string[]> => {
    const { rows } = await db.query<{ action: string }>(
      `SELECT action FROM nf_audit_log WHERE entity = 'registered_model' AND entity_id = $1 ORDER BY id`,
      [name],
    );
    return rows.map((row) => row.action);
  };

  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    artifactRoot = await mkdtemp(join(tmpdir(), 'nflab-mlflow-registry-'));
    app = await buildServer({ db, artifactRoot });
    asEditor = await mlflowCaller(app, db, 'editor');
    asAdmin = await mlflowCaller(app, db, 'admin');
  });
  afterAll(async () => {
    await app.close();
    await db.close();
    await rm(artifactRoot, { recursive: true, force: true });
  });

  test("refusals carry MLflow's codes and name what is wrong", async () => {
    expect((await post('registered-models/create', { name: 'taken' })).statusCode).toBe(200);
    expect(
      await error(await post('registered-models/create', { name: 'taken' }), 400, 'RESOURCE_ALREADY_EXISTS'),
    ).toContain('taken');
    await error(await post('registered-models/create', {}), 400, 'INVALID_PARAMETER_VALUE');
    await error(
      await asEditor({ method: 'GET', url: `${API}/registered-models/get?name=missing` }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    await error(
      await post('model-versions/create', { name: 'missing', source: 's' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    await error(await post('model-versions/create', { name: 'taken' }), 400, 'INVALID_PARAMETER_VALUE');
    await error(
      await post('model-versions/create', { name: 'taken', source: 's', run_id: 'f'.repeat(32) }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    await error(
      await asEditor({ method: 'GET', url: `${API}/model-versions/get?name=taken&version=x` }),
      400,
      'INVALID_PARAMETER_VALUE',
    );
    await error(
      await asEditor({ method: 'GET', url: `${API}/model-versions/get?name=taken&version=7` }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    expect((await post('model-versions/create', { name: 'taken', source: 's3://b/m' })).statusCode).toBe(200);
    expect(
      await error(
        await post('model-versions/transition-stage', { name: 'taken', version: '1', stage: 'Gold' }),
        400,
        'INVALID_PARAMETER_VALUE',
      ),
    ).toContain('Production');
    await error(
      await post('model-versions/transition-stage', {
        name: 'taken',
        version: '1',
        stage: 'Archived',
        archive_existing_versions: true,
      }),
      400,
      'INVALID_PARAMETER_VALUE',
    );
    for (const alias of ['latest', 'v2'])
      await error(
        await post('registered-models/alias', { name: 'taken', alias, version: '1' }),
        400,
        'INVALID_PARAMETER_VALUE',
      );
    await error(
      await asEditor({ method: 'GET', url: `${API}/registered-models/alias?name=taken&alias=nobody` }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    for (const filter of ['metrics.x > 1', "name = 'a' OR name = 'b'", 'name = unquoted'])
      await error(
        await asEditor({
          method: 'GET',
          url: `${API}/registered-models/search?filter=${encodeURIComponent(filter)}`,
        }),
        400,
        'INVALID_PARAMETER_VALUE',
      );
    await error(
      await asEditor({ method: 'GET', url: `${API}/logged-models/not-a-model-id` }),
      400,
      'INVALID_PARAMETER_VALUE',
    );
    await error(
      await asEditor({ method: 'GET', url: `${API}/logged-models/m-${'0'.repeat(32)}` }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    await error(await post('logged-models', { experiment_id: '999' }), 404, 'RESOURCE_DOES_NOT_EXIST');
  });

  test('stages: Production and deleting from it need an admin; archive_existing_versions; latest per stage', async () => {
    expect(
      (await post('registered-models/create', { name: 'staged', tags: [{ key: 'team', value: 'a' }] }))
        .statusCode,
    ).toBe(200);
    for (let i = 0; i < 3; i += 1)
      expect(
        (await post('model-versions/create', { name: 'staged', source: `s3://b/${i}` })).statusCode,
      ).toBe(200);
    const transition = (version: string, stage: string, archive = false, call = asEditor) =>
      post(
        'model-versions/transition-stage',
        { name: 'staged', version, stage, archive_existing_versions: archive },
        call,
      );
    await error(await transition('1', 'Production'), 403, 'PERMISSION_DENIED');
    expect((await transition('1', 'production', false, asAdmin)).json().model_version.current_stage).toBe(
      'Production',
    );
    await error(await transition('1', 'Staging'), 403, 'PERMISSION_DENIED');
    await error(
      await asEditor({
        method: 'DELETE',
        url: `${API}/model-versions/delete`,
        json: { name: 'staged', version: '1' },
      }),
      403,
      'PERMISSION_DENIED',
    );
    await error(
      await asEditor({ method: 'DELETE', url: `${API}/registered-models/delete`, json: { name: 'staged' } }),
      403,
      'PERMISSION_DENIED',
    );
    expect((await transition('2', 'Staging')).statusCode).toBe(200);
    // Moving 3 to Staging with archive_existing_versions archives 2.
    expect((await transition('3', 'Staging', true)).json().model_version.current_stage).toBe('Staging');
    const latest = await post('registered-models/get-latest-versions', { name: 'staged' });
    expect(
      latest
        .json()
        .model_versions.map((v: { version: string; current_stage: string }) => [v.version, v.current_stage]),
    ).toEqual([
      ['1', 'Production'],
      ['2', 'Archived'],
      ['3', 'Staging'],
    ]);
    const onlyStaging = await post('registered-models/get-latest-versions', {
      name: 'staged',
      stages: ['Staging'],
    });
    expect(onlyStaging.json().model_versions.map((v: { version: string }) => v.version)).toEqual(['3']);
    // The lab sees the same stages.
    const { rows } = await db.query<{ version: number; stage: string }>(
      `SELECT version, stage FROM nf_model_registry WHERE name = 'staged' ORDER BY version`,
    );
    expect(rows).toEqual([
      { version: 1, stage: 'prod' },
      { version: 2, stage: 'archived' },
      { version: 3, stage: 'staging' },
    ]);
    expect(
      (
        await asEditor({
          method: 'DELETE',
          url: `${API}/model-versions/delete`,
          json: { name: 'staged', version: '2' },
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (await asAdmin({ method: 'DELETE', url: `${API}/registered-models/delete`, json: { name: 'staged' } }))
        .statusCode,
    ).toBe(200);
    expect(await auditActions('staged')).toEqual([
      'model.create',
      'model.version_create',
      'model.version_create',
      'model.version_create',
      'access.denied',
      'model.stage',
      'access.denied',
      'access.denied',
      'access.denied',
      'model.stage',
      'model.stage',
      'model.version_delete',
      'model.delete',
    ]);
  });

  test('rename carries versions and aliases; search filters and pages; tags and descriptions', async () => {
    expect((await post('registered-models/create', { name: 'old-name' })).statusCode).toBe(200);
    expect(
      (
        await post('model-versions/create', {
          name: 'old-name',
          source: 's3://b/x',
          tags: [{ key: 'k', value: 'v' }],
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (await post('registered-models/alias', { name: 'old-name', alias: 'champion', version: '1' }))
        .statusCode,
    ).toBe(200);
    await error(
      await post('registered-models/rename', { name: 'old-name', new_name: 'taken' }),
      400,
      'RESOURCE_ALREADY_EXISTS',
    );
    const renamed = await post('registered-models/rename', { name: 'old-name', new_name: 'new-name' });
    expect(renamed.json().registered_model).toMatchObject({
      name: 'new-name',
      aliases: [{ alias: 'champion', version: '1' }],
    });
    const byAlias = await asEditor({
      method: 'GET',
      url: `${API}/registered-models/alias?name=new-name&alias=champion`,
    });
    expect(byAlias.json().model_version).toMatchObject({
      name: 'new-name',
      version: '1',
      aliases: ['champion'],
    });
    expect(
      (
        await asEditor({
          method: 'PATCH',
          url: `${API}/registered-models/update`,
          json: { name: 'new-name', description: 'd' },
        })
      ).json().registered_model.description,
    ).toBe('d');
    expect(
      (await post('registered-models/set-tag', { name: 'new-name', key: 'team', value: 'x' })).statusCode,
    ).toBe(200);

    const search = (query: string) =>
      asEditor({ method: 'GET', url: `${API}/registered-models/search?${query}` });
    const names = (response: Awaited<ReturnType<MlflowCall>>) =>
      (response.json().registered_models ?? []).map((model: { name: string }) => model.name);
    expect(names(await search(`filter=${encodeURIComponent("tags.team = 'x'")}`))).toEqual(['new-name']);
    expect(names(await search(`filter=${encodeURIComponent("name ILIKE 'NEW%'")}`))).toEqual(['new-name']);
    const first = await search('max_results=1');
    expect(names(first)).toHaveLength(1);
    const second = await search(
      `max_results=1&page_token=${encodeURIComponent(first.json().next_page_token)}`,
    );
    expect(names(second)).toHaveLength(1);
    expect(names(second)).not.toEqual(names(first));
    const versions = await asEditor({
      method: 'GET',
      url: `${API}/model-versions/search?filter=${encodeURIComponent("tags.k = 'v' and version_number >= 1")}`,
    });
    expect(versions.json().model_versions.map((v: { name: string }) => v.name)).toEqual(['new-name']);
    expect(await auditActions('new-name')).toEqual(['model.rename']);
    expect(await auditActions('old-name')).toEqual(['model.create', 'model.version_create', 'model.alias']);
  });
});
