/** A run or sweep status as a coloured badge. */
import { Badge } from '@mantine/core';
import type { RunStatus } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';

const COLORS: Record<RunStatus, string> = {
  queued: 'gray',
  running: 'blue',
  finished: 'green',
  failed: 'red',
  cancelled: 'orange',
};

/** The badge. */
export const StatusBadge = ({ status, testId }: { readonly status: RunStatus; readonly testId?: string }) => {
  const { t } = useI18n();
  return (
    <Badge color={COLORS[status]} variant="light" data-testid={testId} data-status={status}>
      {t(`status.${status}`)}
    </Badge>
  );
};
