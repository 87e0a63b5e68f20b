/** The trials of a run's search: number, state, value, parameters, duration. */
import { ScrollArea, Table, Text } from '@mantine/core';
import type { Trial } from '../api/types.js';
import { EmptyState } from '../components/AsyncView.js';
import { useI18n } from '../i18n/i18n.js';

const paramText = (value: unknown): string =>
  typeof value === 'number' ? String(value) : JSON.stringify(value);

/** The table; the best complete trial is bold. */
export const TrialsTable = ({ trials }: { readonly trials: readonly Trial[] }) => {
  const { t, format } = useI18n();
  if (trials.length === 0) return <EmptyState>{t('trials.none')}</EmptyState>;
  const complete = trials.filter((trial) => trial.state === 'COMPLETE' && trial.value !== null);
  const best = complete.reduce<Trial | undefined>(
    (a, b) => (a === undefined || (b.value as number) < (a.value as number) ? b : a),
    undefined,
  );
  return (
    <ScrollArea h={280} type="auto">
      <Table fz="xs" striped stickyHeader data-testid="trials-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>#</Table.Th>
            <Table.Th>{t('trials.state')}</Table.Th>
            <Table.Th>{t('trials.value')}</Table.Th>
            <Table.Th>{t('trials.params')}</Table.Th>
            <Table.Th>{t('trials.duration')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {trials.map((trial) => (
            <Table.Tr key={trial.id} fw={trial === best ? 700 : undefined} data-testid="trial-row">
              <Table.Td>{trial.number}</Table.Td>
              <Table.Td>{trial.state}</Table.Td>
              <Table.Td>{format.number(trial.value)}</Table.Td>
              <Table.Td>
                <Text size="xs" style={{ fontFamily: 'monospace' }}>
                  {Object.entries(trial.params)
                    .map(([key, value]) => `${key}=${paramText(value)}`)
                    .join(', ')}
                </Text>
              </Table.Td>
              <Table.Td>{format.duration(trial.duration_seconds)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
};
