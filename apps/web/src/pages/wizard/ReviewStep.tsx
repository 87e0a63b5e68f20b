/**
 * Wizard step 4: what the sweep expands to (counts, invalid combinations with reasons, estimate),
 * then run it. The server returns the plan a page at a time; the pager walks the runs and the
 * invalid combinations together.
 */
import { useState } from 'react';
import {
  Alert,
  Button,
  Code,
  Group,
  List,
  Pagination,
  Paper,
  ScrollArea,
  SimpleGrid,
  Stack,
  Table,
  Text,
} from '@mantine/core';
import { useNavigate } from 'react-router-dom';
import { api } from '../../api/endpoints.js';
import type { SweepPlan } from '../../api/types.js';
import { useApi } from '../../api/use-api.js';
import { useCanEdit } from '../../auth/auth.js';
import { AsyncView, ErrorState } from '../../components/AsyncView.js';
import { useI18n } from '../../i18n/i18n.js';
import { currentSpec } from './wizard-state.js';
import type { StepProps } from './step-props.js';

const field = (spec: unknown, key: string): string => {
  const value =
    typeof spec === 'object' && spec !== null ? (spec as Record<string, unknown>)[key] : undefined;
  return value === undefined || value === null
    ? ''
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);
};

/** ' · HINT (<reconciliation>)' for a run with a hierarchy, so the table tells HINT runs apart. */
const hintLabel = (spec: unknown): string => {
  const hierarchy = (spec as { hierarchy?: { reconciliation?: unknown } | null } | null)?.hierarchy;
  return typeof hierarchy?.reconciliation === 'string' ? ` · HINT (${hierarchy.reconciliation})` : '';
};

/** Runs (and invalid combinations) per page of the review; the server allows up to 500. */
const PLAN_PAGE_SIZE = 100;

const PlanView = ({
  plan,
  page,
  onPage,
}: {
  readonly plan: SweepPlan;
  readonly page: number;
  readonly onPage: (page: number) => void;
}) => {
  const { t, format } = useI18n();
  const pages = Math.max(1, Math.ceil(Math.max(plan.count, plan.invalidCount) / PLAN_PAGE_SIZE));
  return (
    <Stack>
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Paper withBorder p="sm">
          <Text size="xs" c="dimmed">
            {t('review.count')}
          </Text>
          <Text fw={700} size="xl" data-testid="plan-count">
            {plan.count}
          </Text>
        </Paper>
        <Paper withBorder p="sm">
          <Text size="xs" c="dimmed">
            {t('review.combinations')}
          </Text>
          <Text fw={700} data-testid="plan-combinations">
            {format.integer(plan.combinations)}
          </Text>
        </Paper>
        <Paper withBorder p="sm">
          <Text size="xs" c="dimmed">
            {t('review.duplicates')}
          </Text>
          <Text fw={700}>{format.integer(plan.duplicatesRemoved)}</Text>
        </Paper>
        <Paper withBorder p="sm">
          <Text size="xs" c="dimmed">
            {t('review.estimate')}
          </Text>
          <Text fw={700} data-testid="plan-estimate">
            {format.duration(plan.estimatedSeconds)}
          </Text>
        </Paper>
      </SimpleGrid>
      {plan.invalidCount > 0 && (
        <Alert
          color="orange"
          title={t('review.invalid', { n: plan.invalidCount })}
          data-testid="plan-invalid"
        >
          <List size="sm">
            {plan.invalid.map((entry, index) => (
              <List.Item key={index}>
                <Code>
                  {[
                    field(entry.spec, 'model'),
                    field(entry.spec, 'backend'),
                    `h=${field(entry.spec, 'h')}`,
                  ].join(' · ')}
                </Code>{' '}
                {entry.reasons.join('; ')}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      <ScrollArea.Autosize mah={260}>
        <Table fz="xs" striped data-testid="plan-runs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>#</Table.Th>
              <Table.Th>{t('runs.model')}</Table.Th>
              <Table.Th>{t('runs.backend')}</Table.Th>
              <Table.Th>{t('runs.uniqueIds')}</Table.Th>
              <Table.Th>h</Table.Th>
              <Table.Th>{t('runs.loss')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {plan.runs.map((run) => (
              <Table.Tr key={run.fingerprint}>
                <Table.Td>{run.index + 1}</Table.Td>
                <Table.Td>
                  {field(run.spec, 'model')}
                  {hintLabel(run.spec)}
                </Table.Td>
                <Table.Td>{field(run.spec, 'backend')}</Table.Td>
                <Table.Td>{field(run.spec, 'unique_ids')}</Table.Td>
                <Table.Td>{field(run.spec, 'h')}</Table.Td>
                <Table.Td>{field(run.spec, 'loss')}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
      {pages > 1 && (
        <Group justify="space-between">
          <Text size="xs" c="dimmed">
            {t('review.page', {
              from: Math.min(plan.count, plan.offset + 1),
              to: Math.min(plan.count, plan.offset + plan.limit),
              total: plan.count,
            })}
          </Text>
          <Pagination total={pages} value={page} onChange={onPage} data-testid="plan-pagination" />
        </Group>
      )}
    </Stack>
  );
};

/** The review step with the run button (editors only). */
export const ReviewStep = ({ state }: StepProps) => {
  const { t } = useI18n();
  const canEdit = useCanEdit();
  const navigate = useNavigate();
  const source = currentSpec(state);
  const [page, setPage] = useState(1);
  const offset = (page - 1) * PLAN_PAGE_SIZE;
  const plan = useApi(source.ok ? `plan:${offset}:${JSON.stringify(source.spec)}` : null, () =>
    api.planSweep(source.ok ? source.spec : {}, { offset, limit: PLAN_PAGE_SIZE }),
  );
  const [starting, setStarting] = useState<{ error?: unknown; busy: boolean }>({ busy: false });

  if (!source.ok) return <ErrorState error={new Error(source.error)} />;
  const start = async () => {
    setStarting({ busy: true });
    try {
      const created = await api.startSweep(source.spec, source.spec.name ?? (state.name.trim() || undefined));
      navigate(`/sweeps/${created.sweepId}`);
    } catch (error) {
      setStarting({ busy: false, error });
    }
  };
  return (
    <Stack>
      <AsyncView resource={plan}>{(data) => <PlanView plan={data} page={page} onPage={setPage} />}</AsyncView>
      <details>
        <summary>{t('review.spec')}</summary>
        <Code block data-testid="review-spec">
          {JSON.stringify(source.spec, null, 2)}
        </Code>
      </details>
      {starting.error !== undefined && <ErrorState error={starting.error} />}
      <Group justify="flex-end">
        {canEdit ? (
          <Button
            color="green"
            onClick={() => void start()}
            loading={starting.busy}
            disabled={plan.status !== 'ready' || plan.data.count === 0}
            data-testid="wizard-run"
          >
            {t('review.run', { n: plan.status === 'ready' ? plan.data.count : 0 })}
          </Button>
        ) : (
          <Text size="sm" c="dimmed" data-testid="wizard-viewer-note">
            {t('review.viewerNote')}
          </Text>
        )}
      </Group>
    </Stack>
  );
};
