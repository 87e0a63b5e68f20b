/**
 * One registered model: its versions with stage, aliases and run; stage and alias actions for
 * editors (prod for admins); predict by alias; champion vs challenger; the chosen version's model
 * card; and who moved what when, from the audit log.
 */
import { useState } from 'react';
import { Anchor, Badge, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useParams } from 'react-router-dom';
import { api } from '../../api/endpoints.js';
import type { AuditEntry, RegisteredModelDetail, RegistryVersion } from '../../api/types.js';
import { useApi } from '../../api/use-api.js';
import { useCanEdit } from '../../auth/auth.js';
import { AsyncView } from '../../components/AsyncView.js';
import { IdLink } from '../../components/IdLink.js';
import { useI18n } from '../../i18n/i18n.js';
import { ChampionChallenger } from './ChampionChallenger.js';
import { AliasPanel, StageMenu } from './RegistryActions.js';
import { STAGE_COLOR } from './stage-color.js';

const OUTCOME_COLOR = { success: 'green', failure: 'orange', denied: 'red' } as const;
/** Details worth a column in the history: what moved where. */
const MOVE_KEYS = ['version', 'from', 'to', 'stage', 'alias', 'name', 'child_run_id'];

const VersionsTable = ({
  detail,
  shown,
  onShow,
  onChanged,
}: {
  readonly detail: RegisteredModelDetail;
  readonly shown: number | null;
  readonly onShow: (version: number) => void;
  readonly onChanged: () => void;
}) => {
  const { t, format } = useI18n();
  const canEdit = useCanEdit();
  return (
    <Table striped data-testid="registry-versions">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('registry.version')}</Table.Th>
          <Table.Th>{t('registry.stage')}</Table.Th>
          <Table.Th>{t('registry.aliases')}</Table.Th>
          <Table.Th>{t('registry.run')}</Table.Th>
          <Table.Th>{t('registry.updated')}</Table.Th>
          <Table.Th />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {detail.entries.map((entry: RegistryVersion) => (
          <Table.Tr
            key={entry.version}
            data-testid="registry-version-row"
            data-version={entry.version}
            data-stage={entry.stage}
          >
            <Table.Td>v{entry.version}</Table.Td>
            <Table.Td>
              <Badge variant="light" color={STAGE_COLOR[entry.stage]}>
                {entry.stage}
              </Badge>
            </Table.Td>
            <Table.Td>
              <Group gap={4}>
                {entry.aliases.map((alias) => (
                  <Badge key={alias} variant="outline" size="sm">
                    @{alias}
                  </Badge>
                ))}
              </Group>
            </Table.Td>
            <Table.Td>
              <IdLink kind="runs" id={entry.run_id} />
            </Table.Td>
            <Table.Td>{format.dateTime(entry.updated_at)}</Table.Td>
            <Table.Td>
              <Group gap="xs" justify="flex-end" wrap="nowrap">
                <Anchor
                  component="button"
                  size="sm"
                  fw={shown === entry.version ? 700 : undefined}
                  onClick={() => onShow(entry.version)}
                  data-testid={`registry-card-${entry.version}`}
                >
                  {t('registry.card')}
                </Anchor>
                {canEdit && <StageMenu name={detail.model.name} version={entry} onChanged={onChanged} />}
              </Group>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
};

const ModelCardPanel = ({
  name,
  version,
  revision,
}: {
  readonly name: string;
  readonly version: number;
  /** Changes whenever the version's stage or aliases move, so the frame reloads the card. */
  readonly revision: string;
}) => {
  const { t } = useI18n();
  return (
    <Card withBorder data-testid="registry-model-card" data-version={version}>
      <Group justify="space-between" mb="xs">
        <Text fw={600}>{t('registry.cardOf', { version })}</Text>
        <Group gap="sm">
          <Anchor href={api.registryCardUrl(name, version, 'md')} download data-testid="registry-card-md">
            Markdown
          </Anchor>
          <Anchor href={api.registryCardUrl(name, version, 'html')} target="_blank" rel="noreferrer">
            HTML
          </Anchor>
        </Group>
      </Group>
      {/* The card is served with a sandboxing CSP as well: it runs nothing and loads nothing. */}
      <iframe
        key={`${version} ${revision}`}
        title={t('registry.cardOf', { version })}
        src={api.registryCardUrl(name, version, 'html')}
        sandbox=""
        style={{ width: '100%', height: 560, border: 0 }}
        data-testid="registry-card-frame"
      />
    </Card>
  );
};

const HistoryTable = ({ history }: { readonly history: readonly AuditEntry[] }) => {
  const { t, format } = useI18n();
  if (history.length === 0) return <Text c="dimmed">{t('registry.noHistory')}</Text>;
  return (
    <Table striped data-testid="registry-history">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('audit.at')}</Table.Th>
          <Table.Th>{t('registry.who')}</Table.Th>
          <Table.Th>{t('registry.what')}</Table.Th>
          <Table.Th>{t('registry.outcome')}</Table.Th>
          <Table.Th>{t('registry.details')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {history.map((entry) => (
          <Table.Tr key={entry.id} data-testid="registry-history-row" data-action={entry.action}>
            <Table.Td>{format.dateTime(entry.at)}</Table.Td>
            <Table.Td>{entry.actor}</Table.Td>
            <Table.Td>{entry.action}</Table.Td>
            <Table.Td>
              <Badge variant="light" color={OUTCOME_COLOR[entry.outcome]}>
                {entry.outcome}
              </Badge>
            </Table.Td>
            <Table.Td>
              {Object.entries(entry.details)
                .filter(([key]) => MOVE_KEYS.includes(key))
                .map(([key, value]) => `${key}=${String(value)}`)
                .join(' ')}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
};

/** The version whose card shows first: the champion's, else the newest. */
const defaultShown = (detail: RegisteredModelDetail): number | null =>
  detail.model.aliases.champion ?? detail.entries[0]?.version ?? null;

/** What the card of `version` shows that moves: its stage, aliases and last move. */
const revisionOf = (detail: RegisteredModelDetail, version: number): string => {
  const entry = detail.entries.find((candidate) => candidate.version === version);
  return entry === undefined ? '' : `${entry.stage} ${entry.aliases.join(',')} ${entry.updated_at}`;
};

/** A registered model's page. */
export const RegisteredModelPage = () => {
  const { t } = useI18n();
  const { name = '' } = useParams();
  const detail = useApi(`registry:${name}`, () => api.registeredModel(name));
  const [shown, setShown] = useState<number | null>(null);
  return (
    <Stack>
      <Title order={2}>
        {t('nav.registry')}: {name}
      </Title>
      <AsyncView resource={detail}>
        {(data) => {
          const version = shown ?? defaultShown(data);
          return (
            <Stack>
              {data.model.description !== null && <Text>{data.model.description}</Text>}
              <VersionsTable detail={data} shown={version} onShow={setShown} onChanged={detail.reload} />
              <Title order={4}>{t('registry.aliases')}</Title>
              <AliasPanel
                name={name}
                aliases={data.model.aliases}
                versions={data.entries}
                onChanged={detail.reload}
              />
              {Object.keys(data.model.aliases).length >= 2 && (
                <ChampionChallenger
                  key={Object.keys(data.model.aliases).join(',')}
                  name={name}
                  aliases={Object.keys(data.model.aliases)}
                />
              )}
              {version !== null && (
                <ModelCardPanel name={name} version={version} revision={revisionOf(data, version)} />
              )}
              <Title order={4}>{t('registry.history')}</Title>
              <HistoryTable history={data.history} />
            </Stack>
          );
        }}
      </AsyncView>
    </Stack>
  );
};
