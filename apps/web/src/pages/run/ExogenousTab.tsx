/**
 * A training run's exogenous inputs: the analysis of those columns against the run's series (the
 * data page's analysis, narrowed to what the model read), the importance runs made from its saved
 * model, and — for editors — buttons that start one.
 */
import { useState } from 'react';
import { Anchor, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { Link, useNavigate } from 'react-router-dom';
import { IMPORTANCE_METHODS, type ImportanceMethod } from '@nflab/contracts';
import { api } from '../../api/endpoints.js';
import type { RunDetail } from '../../api/types.js';
import { useApi } from '../../api/use-api.js';
import { useCanEdit } from '../../auth/auth.js';
import { AsyncView, EmptyState, ErrorState } from '../../components/AsyncView.js';
import { useI18n } from '../../i18n/i18n.js';
import { ExogenousPanel } from '../data/ExogenousPanel.js';
import { SelectionGroups } from '../../analysis/TftInterpretation.js';

/** The exogenous lists a fitted model records in its run's model properties. */
const exogenousOf = (run: RunDetail): { futr: string[]; hist: string[]; stat: string[] } => {
  const recorded = (
    run.model_properties as { exogenous?: Partial<Record<'futr' | 'hist' | 'stat', string[]>> } | null
  )?.exogenous;
  return { futr: recorded?.futr ?? [], hist: recorded?.hist ?? [], stat: recorded?.stat ?? [] };
};

/** Whether a run's model read exogenous columns (the tab shows only then). */
export const hasExogenous = (run: RunDetail): boolean => {
  const { futr, hist, stat } = exogenousOf(run);
  return futr.length + hist.length + stat.length > 0;
};

/** The tab's content. */
export const ExogenousTab = ({ run }: { readonly run: RunDetail }) => {
  const { t, format } = useI18n();
  const canEdit = useCanEdit();
  const navigate = useNavigate();
  const [start, setStart] = useState<{ busy: boolean; error?: unknown }>({ busy: false });
  const { futr, hist, stat } = exogenousOf(run);
  const children = useApi(`importance-runs:${run.id}`, () =>
    api.runs({ parent_run_id: run.id, limit: 100, sort: 'created_at', order: 'desc' }),
  );
  const startImportance = async (method: ImportanceMethod) => {
    setStart({ busy: true });
    try {
      const { runId } = await api.startImportance(run.id, method);
      navigate(`/runs/${runId}`);
    } catch (error) {
      setStart({ busy: false, error });
    }
  };
  return (
    <Stack data-testid="run-exogenous">
      <Text size="sm">
        {t('runExog.columns', {
          futr: futr.join(', ') || '—',
          hist: hist.join(', ') || '—',
          stat: stat.join(', ') || '—',
        })}
      </Text>
      {run.table_name !== null && run.loto !== null && futr.length + hist.length > 0 ? (
        <ExogenousPanel
          table={run.table_name}
          loto={run.loto}
          uniqueIds={run.unique_ids}
          columns={[...hist, ...futr]}
        />
      ) : (
        <EmptyState>{t('runExog.onlyStatic')}</EmptyState>
      )}
      <Title order={5}>{t('runExog.importance')}</Title>
      {run.interpretation !== null && (
        <>
          <Text size="sm">{t('tft.title')}</Text>
          <SelectionGroups interpretation={run.interpretation} />
        </>
      )}
      {canEdit && run.status === 'finished' && (
        <Group>
          {IMPORTANCE_METHODS.map((method) => (
            <Button
              key={method}
              size="xs"
              variant="light"
              loading={start.busy}
              onClick={() => void startImportance(method)}
              data-testid={`run-importance-${method}`}
            >
              {method}
            </Button>
          ))}
        </Group>
      )}
      {start.error !== undefined && <ErrorState error={start.error} />}
      <AsyncView resource={children}>
        {(page) => {
          const runs = page.items.filter((child) => child.operation === 'importance');
          return runs.length === 0 ? (
            <EmptyState>{t('runExog.noImportance')}</EmptyState>
          ) : (
            <Table fz="sm" data-testid="run-importance-runs">
              <Table.Tbody>
                {runs.map((child) => (
                  <Table.Tr key={child.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/runs/${child.id}`}>
                        {child.id.slice(0, 8)}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{child.status}</Table.Td>
                    <Table.Td>{format.dateTime(child.created_at)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          );
        }}
      </AsyncView>
    </Stack>
  );
};
