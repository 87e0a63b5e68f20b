/**
 * What editors do on a registered model: move a version to a stage (into or out of prod only for
 * admins, as the server enforces), point, remove and predict with aliases. Each action reports its
 * error in place and reloads the model on success.
 */
import { useState } from 'react';
import { Button, Group, Menu, Select, Stack, Table, TextInput } from '@mantine/core';
import { REGISTRY_ALIAS_PATTERN, REGISTRY_STAGE_IDS } from '@nflab/contracts';
import { useNavigate } from 'react-router-dom';
import { api } from '../../api/endpoints.js';
import type { RegistryStage, RegistryVersion } from '../../api/types.js';
import { hasRole, useUser } from '../../auth/auth.js';
import { ErrorState } from '../../components/AsyncView.js';
import { useI18n } from '../../i18n/i18n.js';

/** Runs one action at a time, keeping its error. */
const useAction = (onDone: () => void) => {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const perform = async <T,>(action: () => Promise<T>, then?: (result: T) => void) => {
    setBusy(true);
    setError(undefined);
    try {
      const result = await action();
      if (then === undefined) onDone();
      else then(result);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, perform };
};

/** The stage menu of one version (editors; prod moves need admin). */
export const StageMenu = ({
  name,
  version,
  onChanged,
}: {
  readonly name: string;
  readonly version: RegistryVersion;
  readonly onChanged: () => void;
}) => {
  const { t } = useI18n();
  const user = useUser();
  const { busy, error, perform } = useAction(onChanged);
  const admin = hasRole(user, 'admin');
  const needsAdmin = (stage: RegistryStage) => !admin && (stage === 'prod' || version.stage === 'prod');
  return (
    <Stack gap={4}>
      <Menu>
        <Menu.Target>
          <Button
            size="compact-xs"
            variant="light"
            loading={busy}
            data-testid={`registry-stage-${version.version}`}
          >
            {t('registry.moveTo')}
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          {REGISTRY_STAGE_IDS.filter((stage) => stage !== version.stage).map((stage) => (
            <Menu.Item
              key={stage}
              disabled={needsAdmin(stage)}
              title={needsAdmin(stage) ? t('registry.prodAdminOnly') : undefined}
              onClick={() => void perform(() => api.setRegistryStage(name, version.version, stage))}
              data-testid={`registry-stage-${version.version}-${stage}`}
            >
              {stage === 'archived' ? t('registry.archive') : stage}
            </Menu.Item>
          ))}
        </Menu.Dropdown>
      </Menu>
      {error !== undefined && <ErrorState error={error} />}
    </Stack>
  );
};

/** The aliases of a model: point one at a version, remove one, predict with one. */
export const AliasPanel = ({
  name,
  aliases,
  versions,
  onChanged,
}: {
  readonly name: string;
  readonly aliases: Readonly<Record<string, number>>;
  readonly versions: readonly RegistryVersion[];
  readonly onChanged: () => void;
}) => {
  const { t } = useI18n();
  const canEdit = hasRole(useUser(), 'editor');
  const navigate = useNavigate();
  const { busy, error, perform } = useAction(onChanged);
  const [alias, setAlias] = useState('champion');
  const [version, setVersion] = useState<string | null>(versions[0] ? String(versions[0].version) : null);
  const aliasValid = REGISTRY_ALIAS_PATTERN.test(alias);
  return (
    <Stack gap="xs" data-testid="registry-aliases">
      <Table>
        <Table.Tbody>
          {Object.entries(aliases).map(([name_, target]) => (
            <Table.Tr key={name_} data-testid="registry-alias-row" data-alias={name_}>
              <Table.Td>@{name_}</Table.Td>
              <Table.Td>v{target}</Table.Td>
              {canEdit && (
                <Table.Td>
                  <Group gap="xs" justify="flex-end">
                    <Button
                      size="compact-xs"
                      variant="light"
                      loading={busy}
                      onClick={() =>
                        void perform(
                          () => api.predictRegistered(name, name_),
                          (run) => navigate(`/runs/${run.runId}`),
                        )
                      }
                      data-testid={`registry-predict-${name_}`}
                    >
                      {t('registry.predict')}
                    </Button>
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      color="red"
                      loading={busy}
                      onClick={() => void perform(() => api.deleteRegistryAlias(name, name_))}
                      data-testid={`registry-alias-delete-${name_}`}
                    >
                      {t('registry.removeAlias')}
                    </Button>
                  </Group>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {canEdit && (
        <Group gap="xs" align="flex-end">
          <TextInput
            size="xs"
            label={t('registry.alias')}
            value={alias}
            onChange={(event) => setAlias(event.currentTarget.value)}
            error={aliasValid ? undefined : t('registry.aliasRule')}
            data-testid="registry-alias-name"
          />
          <Select
            size="xs"
            label={t('registry.version')}
            data={versions.map((v) => ({ value: String(v.version), label: `v${v.version} (${v.stage})` }))}
            value={version}
            onChange={setVersion}
            data-testid="registry-alias-version"
          />
          <Button
            size="xs"
            loading={busy}
            disabled={!aliasValid || version === null}
            onClick={() => void perform(() => api.setRegistryAlias(name, alias, Number(version)))}
            data-testid="registry-alias-set"
          >
            {t('registry.setAlias')}
          </Button>
        </Group>
      )}
      {error !== undefined && <ErrorState error={error} />}
    </Stack>
  );
};
