/** Cross-validation by fold: each window's metrics, then their mean, std, min and max across folds. */
import { ScrollArea, Table, Title } from '@mantine/core';
import { useI18n } from '../../i18n/i18n.js';

interface Fold {
  readonly fold: number;
  readonly cutoffs: readonly (string | number)[];
  readonly points: number;
  readonly metrics: Readonly<Record<string, number | null>>;
}
type Summary = Readonly<
  Record<string, { mean: number; std: number | null; min: number; max: number } | null>
>;

/** The folds and summary of a run's `metrics.cv`, when it has them. */
export const foldsOf = (
  metrics: Readonly<Record<string, unknown>>,
): { folds: Fold[]; summary: Summary } | null => {
  const cv = metrics.cv as { folds?: Fold[]; fold_summary?: Summary } | undefined;
  if (cv?.folds === undefined || cv.folds.length === 0) return null;
  return { folds: cv.folds, summary: cv.fold_summary ?? {} };
};

const STATS = ['mean', 'std', 'min', 'max'] as const;

/** The per-fold table; nothing when the run recorded no folds. */
export const CvFolds = ({ metrics }: { readonly metrics: Readonly<Record<string, unknown>> }) => {
  const { t, format } = useI18n();
  const parsed = foldsOf(metrics);
  if (parsed === null) return null;
  const keys = Object.keys(parsed.folds[0]?.metrics ?? {});
  const cell = (value: number | null | undefined) =>
    typeof value === 'number' ? format.number(value, 4) : '—';
  return (
    <>
      <Title order={5}>{t('run.cv.folds')}</Title>
      <ScrollArea type="auto">
        <Table fz="xs" striped data-testid="cv-folds">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('run.cv.fold')}</Table.Th>
              <Table.Th>{t('run.cutoff')}</Table.Th>
              <Table.Th>{t('run.cv.points')}</Table.Th>
              {keys.map((key) => (
                <Table.Th key={key}>{key}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {parsed.folds.map((fold) => (
              <Table.Tr key={fold.fold}>
                <Table.Td>{fold.fold + 1}</Table.Td>
                <Table.Td>{fold.cutoffs.join(', ')}</Table.Td>
                <Table.Td>{fold.points}</Table.Td>
                {keys.map((key) => (
                  <Table.Td key={key}>{cell(fold.metrics[key])}</Table.Td>
                ))}
              </Table.Tr>
            ))}
            {STATS.map((stat) => (
              <Table.Tr key={stat} fw={600} data-testid={`cv-folds-${stat}`}>
                <Table.Td colSpan={3}>{t(`run.cv.${stat}`)}</Table.Td>
                {keys.map((key) => (
                  <Table.Td key={key}>{cell(parsed.summary[key]?.[stat])}</Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
    </>
  );
};
