/** Files the run wrote, with download links. */
import { Anchor, Table } from '@mantine/core';
import { api } from '../../api/endpoints.js';
import { useApi } from '../../api/use-api.js';
import { AsyncView } from '../../components/AsyncView.js';
import { useI18n } from '../../i18n/i18n.js';

/** The artifacts table. */
export const ArtifactsPanel = ({ runId }: { readonly runId: string }) => {
  const { t, format } = useI18n();
  const artifacts = useApi(`artifacts:${runId}`, () => api.artifacts(runId));
  return (
    <AsyncView resource={artifacts} isEmpty={(data) => data.length === 0} empty={t('run.noArtifacts')}>
      {(data) => (
        <Table fz="sm" striped data-testid="artifacts-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('artifacts.path')}</Table.Th>
              <Table.Th>{t('artifacts.kind')}</Table.Th>
              <Table.Th>{t('artifacts.size')}</Table.Th>
              <Table.Th>sha256</Table.Th>
              <Table.Th>{t('runs.created')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.map((artifact) => (
              <Table.Tr key={artifact.id}>
                <Table.Td>
                  <Anchor href={api.artifactUrl(runId, artifact.id)} download data-testid="artifact-download">
                    {artifact.path}
                  </Anchor>
                </Table.Td>
                <Table.Td>{artifact.kind}</Table.Td>
                <Table.Td>{format.bytes(artifact.bytes)}</Table.Td>
                <Table.Td style={{ fontFamily: 'monospace' }}>{artifact.sha256?.slice(0, 12)}</Table.Td>
                <Table.Td>{format.dateTime(artifact.created_at)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </AsyncView>
  );
};
