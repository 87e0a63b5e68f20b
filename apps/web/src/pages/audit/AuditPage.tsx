/** The audit log for admins: who did what, when, from where and how it ended, filterable. */
import { useState, type FormEvent } from 'react';
import { Alert, Badge, Code, Grid, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { AUDIT_ACTIONS, type AuditAction } from '@nflab/contracts';
import { useSearchParams } from 'react-router-dom';
import { api } from '../../api/endpoints.js';
import type { AuditEntry } from '../../api/types.js';
import { useApi } from '../../api/use-api.js';
import { hasRole, useUser } from '../../auth/auth.js';
import { AsyncView } from '../../components/AsyncView.js';
import { FilterButtons } from '../../components/FilterButtons.js';
import { useI18n } from '../../i18n/i18n.js';
import {
  AUDIT_PAGE_LIMIT,
  readAuditFilters,
  toAuditApiQuery,
  writeAuditFilters,
  type AuditFilters,
} from './audit-query.js';

const OUTCOME_COLOR = { success: 'green', failure: 'orange', denied: 'red' } as const;

/** The filter bar; changes apply on Apply or Enter. */
const Filters = ({
  value,
  onApply,
}: {
  readonly value: AuditFilters;
  readonly onApply: (filters: AuditFilters) => void;
}) => {
  const { t } = useI18n();
  const [draft, setDraft] = useState<AuditFilters>(value);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(draft);
  };
  return (
    <form onSubmit={submit} data-testid="audit-filters">
      <Grid gap="xs" align="flex-end">
        <Grid.Col span={{ base: 6, md: 2 }}>
          <TextInput
            label={t('audit.since')}
            type="date"
            size="xs"
            value={draft.since ?? ''}
            onChange={(event) => setDraft({ ...draft, since: event.currentTarget.value || undefined })}
            data-testid="audit-filter-since"
          />
        </Grid.Col>
        <Grid.Col span={{ base: 6, md: 2 }}>
          <TextInput
            label={t('audit.user')}
            size="xs"
            value={draft.user ?? ''}
            onChange={(event) => setDraft({ ...draft, user: event.currentTarget.value || undefined })}
            data-testid="audit-filter-user"
          />
        </Grid.Col>
        <Grid.Col span={{ base: 6, md: 3 }}>
          <Select
            label={t('audit.action')}
            placeholder={t('audit.anyAction')}
            size="xs"
            data={[...AUDIT_ACTIONS]}
            value={draft.action ?? null}
            onChange={(action) => setDraft({ ...draft, action: (action as AuditAction | null) ?? undefined })}
            clearable
            searchable
            data-testid="audit-filter-action"
          />
        </Grid.Col>
        <Grid.Col span={{ base: 6, md: 2 }}>
          <FilterButtons
            applyTestId="audit-filter-apply"
            onClear={() => {
              setDraft({});
              onApply({});
            }}
          />
        </Grid.Col>
      </Grid>
    </form>
  );
};

/** One entry's row. */
const EntryRow = ({ entry }: { readonly entry: AuditEntry }) => {
  const { t, format } = useI18n();
  const details = Object.entries(entry.details).filter(([key]) => key !== 'request_id');
  return (
    <Table.Tr data-testid="audit-row">
      <Table.Td>{format.dateTime(entry.at)}</Table.Td>
      <Table.Td>{entry.actor}</Table.Td>
      <Table.Td>
        <Code>{entry.action}</Code>
      </Table.Td>
      <Table.Td>{[entry.entity, entry.entity_id].filter((part) => part !== null).join(' ')}</Table.Td>
      <Table.Td>
        <Badge color={OUTCOME_COLOR[entry.outcome]} variant="light">
          {t(`audit.outcome.${entry.outcome}`)}
        </Badge>
      </Table.Td>
      <Table.Td>{entry.client_address ?? '—'}</Table.Td>
      <Table.Td>
        <Text size="xs" style={{ wordBreak: 'break-all' }}>
          {details.map(([key, value]) => `${key}=${JSON.stringify(value)}`).join(' ')}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
};

/** The audit page (admin role; others see why it is empty). */
export const AuditPage = () => {
  const { t } = useI18n();
  const admin = hasRole(useUser(), 'admin');
  const [params, setParams] = useSearchParams();
  const filters = readAuditFilters(params);
  const key = writeAuditFilters(filters).toString();
  const entries = useApi(admin ? `audit:${key}` : null, () => api.audit(toAuditApiQuery(filters)));
  return (
    <Stack>
      <Title order={2}>{t('nav.audit')}</Title>
      {!admin ? (
        <Alert color="yellow" data-testid="audit-admin-only">
          {t('audit.adminOnly')}
        </Alert>
      ) : (
        <>
          <Filters key={key} value={filters} onApply={(next) => setParams(writeAuditFilters(next))} />
          <AsyncView resource={entries} isEmpty={(data) => data.items.length === 0} empty={t('audit.none')}>
            {(data) => (
              <>
                <Table striped highlightOnHover data-testid="audit-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('audit.at')}</Table.Th>
                      <Table.Th>{t('audit.actor')}</Table.Th>
                      <Table.Th>{t('audit.action')}</Table.Th>
                      <Table.Th>{t('audit.target')}</Table.Th>
                      <Table.Th>{t('audit.outcome')}</Table.Th>
                      <Table.Th>{t('audit.address')}</Table.Th>
                      <Table.Th>{t('audit.details')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.items.map((entry) => (
                      <EntryRow key={entry.id} entry={entry} />
                    ))}
                  </Table.Tbody>
                </Table>
                {data.items.length >= AUDIT_PAGE_LIMIT && (
                  <Text size="sm" c="dimmed">
                    {t('audit.limit', { count: AUDIT_PAGE_LIMIT })}
                  </Text>
                )}
              </>
            )}
          </AsyncView>
        </>
      )}
    </Stack>
  );
};
