/**
 * A run's, a sweep's or a stored comparison's reports: for editors a Report button (HTML or PDF,
 * made by the server and archived with its SHA-256), and for everyone the archived reports with
 * their download links.
 */
import { useState } from 'react';
import { Anchor, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import type { ReportFormat } from '@nflab/contracts';
import { api } from '../api/endpoints.js';
import { useApi } from '../api/use-api.js';
import { useCanEdit } from '../auth/auth.js';
import { AsyncView, ErrorState } from '../components/AsyncView.js';
import { useI18n } from '../i18n/i18n.js';

/** Whose reports: a run's, a sweep's, or a stored comparison's (an analysis, by its number). */
export type ReportSubject =
  | { readonly kind: 'run' | 'sweep'; readonly id: string }
  | { readonly kind: 'analysis'; readonly id: number };

const listReports = (subject: ReportSubject) => {
  if (subject.kind === 'analysis') return api.reports({ analysis_id: subject.id });
  return api.reports(subject.kind === 'run' ? { run_id: subject.id } : { sweep_id: subject.id });
};

const makeReport = (subject: ReportSubject, reportFormat: ReportFormat) => {
  if (subject.kind === 'analysis') return api.createCompareReport(subject.id, reportFormat);
  return subject.kind === 'run'
    ? api.createRunReport(subject.id, reportFormat)
    : api.createSweepReport(subject.id, reportFormat);
};

const FORMATS: readonly ReportFormat[] = ['html', 'pdf'];

/** The Report buttons and the subject's archived reports, newest first. */
export const ReportsPanel = ({ subject }: { readonly subject: ReportSubject }) => {
  const { t, format } = useI18n();
  const canEdit = useCanEdit();
  const [state, setState] = useState<{ busy?: ReportFormat; error?: unknown }>({});
  const reports = useApi(`reports:${subject.kind}:${subject.id}`, () => listReports(subject));
  const make = async (reportFormat: ReportFormat) => {
    setState({ busy: reportFormat });
    try {
      await makeReport(subject, reportFormat);
      setState({});
      reports.reload();
    } catch (error) {
      setState({ error });
    }
  };
  return (
    <Paper withBorder p="sm" data-testid="reports-panel">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={5}>{t('report.title')}</Title>
          {canEdit && (
            <Group gap="xs">
              {FORMATS.map((reportFormat) => (
                <Button
                  key={reportFormat}
                  size="xs"
                  variant={reportFormat === 'html' ? 'filled' : 'light'}
                  loading={state.busy === reportFormat}
                  disabled={state.busy !== undefined}
                  onClick={() => void make(reportFormat)}
                  data-testid={`report-make-${reportFormat}`}
                >
                  {t(reportFormat === 'html' ? 'report.makeHtml' : 'report.makePdf')}
                </Button>
              ))}
            </Group>
          )}
        </Group>
        {state.error !== undefined && <ErrorState error={state.error} />}
        <AsyncView resource={reports} isEmpty={(data) => data.items.length === 0} empty={t('report.none')}>
          {(data) => (
            <Table fz="sm" data-testid="reports-list">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('report.made')}</Table.Th>
                  <Table.Th>{t('report.format')}</Table.Th>
                  <Table.Th>{t('report.by')}</Table.Th>
                  <Table.Th>{t('report.size')}</Table.Th>
                  <Table.Th>SHA-256</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.map((item) => (
                  <Table.Tr key={item.id} data-testid="report-row">
                    <Table.Td>{format.dateTime(item.created_at)}</Table.Td>
                    <Table.Td>{item.format.toUpperCase()}</Table.Td>
                    <Table.Td>{item.created_by ?? ''}</Table.Td>
                    <Table.Td>{format.bytes(item.bytes)}</Table.Td>
                    <Table.Td>
                      <Text size="xs" ff="monospace" title={item.sha256 ?? ''}>
                        {item.sha256?.slice(0, 12) ?? ''}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Anchor href={api.reportUrl(item.id)} download data-testid="report-download">
                        {t('report.download')}
                      </Anchor>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </AsyncView>
      </Stack>
    </Paper>
  );
};
