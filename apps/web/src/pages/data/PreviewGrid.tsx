/** The first rows of a table as a scrollable grid. */
import { ScrollArea, Table } from '@mantine/core';
import type { PreviewResponse } from '../../api/types.js';
import type { ApiResource } from '../../api/use-api.js';
import { AsyncView } from '../../components/AsyncView.js';
import { useI18n } from '../../i18n/i18n.js';

const cell = (value: unknown): string =>
  value === null || value === undefined
    ? ''
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);

/** A grid of preview rows. */
export const PreviewGrid = ({ resource }: { readonly resource: ApiResource<PreviewResponse> }) => {
  const { t, format } = useI18n();
  return (
    <AsyncView resource={resource} isEmpty={(data) => data.rows.length === 0} empty={t('data.noRows')}>
      {(data) => (
        <ScrollArea h={480} type="auto">
          <Table striped withTableBorder stickyHeader data-testid="preview-grid" fz="xs">
            <Table.Thead>
              <Table.Tr>
                {data.columns.map((column) => (
                  <Table.Th key={column}>{column}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.rows.map((row, index) => (
                <Table.Tr key={index}>
                  {data.columns.map((column) => {
                    const value = row[column];
                    return (
                      <Table.Td key={column} style={{ whiteSpace: 'nowrap' }}>
                        {typeof value === 'number' ? format.number(value) : cell(value)}
                      </Table.Td>
                    );
                  })}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
    </AsyncView>
  );
};
