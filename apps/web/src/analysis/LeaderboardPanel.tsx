/**
 * A sweep's leaderboard: its runs and the naive baselines ranked by one metric, each run's p-value
 * against its best baseline corrected for every configuration of the sweep, and the plain verdict.
 */
import { useState, type ReactNode } from 'react';
import { Alert, Anchor, Badge, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { METRIC_IDS, P_ADJUST_METHODS, type MetricId, type PAdjustMethod } from '@nflab/contracts';
import { api } from '../api/endpoints.js';
import type { Leaderboard } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { AsyncView } from '../components/AsyncView.js';
import { useI18n } from '../i18n/i18n.js';
import { formatPValue } from './p-value.js';

/** The leaderboard of sweep `sweepId`. */
export const LeaderboardPanel = ({
  sweepId,
  version,
  children,
}: {
  readonly sweepId: string;
  /** Changes when the sweep's runs change, to reload. */
  readonly version: string;
  /** Rendered under the table with the loaded leaderboard (e.g. the comparison of its ranked runs). */
  readonly children?: (board: Leaderboard) => ReactNode;
}) => {
  const { t, format } = useI18n();
  const [metric, setMetric] = useState<MetricId>('mae');
  const [correction, setCorrection] = useState<PAdjustMethod>('holm');
  const board = useApi(`leaderboard:${sweepId}:${metric}:${correction}:${version}`, () =>
    api.leaderboard(sweepId, { metric, correction }),
  );
  return (
    <Stack data-testid="leaderboard">
      <Group justify="space-between">
        <Title order={4}>{t('leaderboard.title')}</Title>
        <Group>
          <Select
            size="xs"
            label={t('runs.metric')}
            data={[...METRIC_IDS]}
            value={metric}
            onChange={(value) => value && setMetric(value as MetricId)}
            allowDeselect={false}
            data-testid="leaderboard-metric"
          />
          <Select
            size="xs"
            label={t('leaderboard.correction')}
            data={[...P_ADJUST_METHODS]}
            value={correction}
            onChange={(value) => value && setCorrection(value as PAdjustMethod)}
            allowDeselect={false}
            data-testid="leaderboard-correction"
          />
        </Group>
      </Group>
      <AsyncView resource={board}>
        {(data) => (
          <Stack>
            <Alert
              color={data.verdict.beatsChance ? 'green' : 'gray'}
              title={t(data.verdict.beatsChance ? 'leaderboard.beats' : 'leaderboard.noBeat')}
              data-testid="leaderboard-verdict"
            >
              {data.verdict.text}
            </Alert>
            <Table fz="sm" striped data-testid="leaderboard-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>#</Table.Th>
                  <Table.Th>{t('leaderboard.entry')}</Table.Th>
                  <Table.Th>{data.metric}</Table.Th>
                  <Table.Th>{t('leaderboard.bestBaseline')}</Table.Th>
                  <Table.Th>p</Table.Th>
                  <Table.Th>
                    p ({data.correction}, {data.configurations})
                  </Table.Th>
                  <Table.Th>{t('leaderboard.beatsChance')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.rows.map((row) =>
                  row.kind === 'run' ? (
                    <Table.Tr key={row.runId} data-testid="leaderboard-run">
                      <Table.Td>{row.rank}</Table.Td>
                      <Table.Td>
                        <Anchor component={Link} to={`/runs/${row.runId}`} size="sm">
                          {row.label}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{format.number(row.value)}</Table.Td>
                      <Table.Td>
                        {row.bestBaseline ?? ''} {format.number(row.bestBaselineValue)}
                      </Table.Td>
                      <Table.Td>{formatPValue(row.pValue)}</Table.Td>
                      <Table.Td>{formatPValue(row.adjustedPValue)}</Table.Td>
                      <Table.Td>
                        <Badge color={row.beatsChance ? 'green' : 'gray'} variant="light">
                          {t(row.beatsChance ? 'leaderboard.yes' : 'leaderboard.no')}
                        </Badge>
                      </Table.Td>
                    </Table.Tr>
                  ) : (
                    <Table.Tr key={row.baseline} data-testid="leaderboard-baseline" c="dimmed">
                      <Table.Td>{row.rank}</Table.Td>
                      <Table.Td>
                        <Badge variant="outline" color="gray">
                          {t('leaderboard.baseline')}
                        </Badge>{' '}
                        {row.baseline}
                      </Table.Td>
                      <Table.Td>{format.number(row.value)}</Table.Td>
                      <Table.Td colSpan={4} />
                    </Table.Tr>
                  ),
                )}
              </Table.Tbody>
            </Table>
            {data.unranked.length > 0 && (
              <Text size="xs" c="dimmed" data-testid="leaderboard-unranked">
                {t('leaderboard.unranked')}:{' '}
                {data.unranked.map((run) => `${run.label} (${run.reason})`).join('; ')}
              </Text>
            )}
            {children?.(data)}
          </Stack>
        )}
      </AsyncView>
    </Stack>
  );
};
