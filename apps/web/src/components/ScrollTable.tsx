import { Paper, ScrollArea, Table } from '@mantine/core';
import type { ReactNode } from 'react';

/** One column: its header and how a row fills its cell. */
export interface ScrollTableColumn<Row> {
  readonly header: ReactNode;
  readonly cell: (row: Row) => ReactNode;
}

export interface ScrollTableProps<Row> {
  readonly rows: readonly Row[];
  readonly columns: readonly ScrollTableColumn<Row>[];
  /** A stable key per row (React's reconciliation). */
  readonly rowKey: (row: Row) => string;
  /** `data-testid` of the table and of each row, for the E2E tests. */
  readonly testId: string;
  readonly rowTestId: string;
  readonly height?: number;
}

/**
 * A compact striped table of many rows in a bordered box that scrolls under a sticky header —
 * the detail tables of the drift and anomaly views.
 */
export const ScrollTable = <Row,>({
  rows,
  columns,
  rowKey,
  testId,
  rowTestId,
  height = 360,
}: ScrollTableProps<Row>) => (
  <Paper withBorder>
    <ScrollArea h={height}>
      <Table fz="xs" striped stickyHeader data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((column, i) => (
              <Table.Th key={i}>{column.header}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={rowKey(row)} data-testid={rowTestId}>
              {columns.map((column, i) => (
                <Table.Td key={i}>{column.cell(row)}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  </Paper>
);
