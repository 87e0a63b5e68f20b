/** A flat key → value table of JSON (parameters, metrics, system info). */
import { ScrollArea, Table } from '@mantine/core';
import { EmptyState } from '../components/AsyncView.js';
import { useI18n } from '../i18n/i18n.js';
import { flatten, leafText } from '../lib/flatten.js';

/** The table; numbers are formatted in the user's locale. */
export const KeyValueTable = ({
  value,
  testId,
  height = 320,
}: {
  readonly value: unknown;
  readonly testId: string;
  readonly height?: number;
}) => {
  const { t, format } = useI18n();
  const rows = Object.entries(flatten(value));
  if (rows.length === 0) return <EmptyState>{t('state.empty')}</EmptyState>;
  return (
    <ScrollArea.Autosize mah={height} type="auto">
      <Table fz="xs" striped data-testid={testId}>
        <Table.Tbody>
          {rows.map(([key, leaf]) => (
            <Table.Tr key={key}>
              <Table.Td style={{ fontFamily: 'monospace' }}>{key}</Table.Td>
              <Table.Td>{typeof leaf === 'number' ? format.number(leaf, 6) : leafText(leaf)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea.Autosize>
  );
};
