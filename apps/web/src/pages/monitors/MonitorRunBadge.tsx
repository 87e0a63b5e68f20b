/** A monitor execution's outcome as a coloured badge (alert in red). */
import { Badge } from '@mantine/core';
import type { MonitorRun } from '../../api/types.js';
import { useI18n } from '../../i18n/i18n.js';

const COLORS: Record<MonitorRun['status'], string> = {
  running: 'blue',
  ok: 'green',
  alert: 'red',
  error: 'orange',
};

/** The badge; `—` when the monitor has not run yet. */
export const MonitorRunBadge = ({ run }: { readonly run: MonitorRun | null }) => {
  const { t } = useI18n();
  if (run === null)
    return (
      <Badge color="gray" variant="outline" data-testid="monitor-run-status" data-status="never">
        {t('monitors.never')}
      </Badge>
    );
  return (
    <Badge
      color={COLORS[run.status]}
      variant="light"
      data-testid="monitor-run-status"
      data-status={run.status}
    >
      {t(`monitors.status.${run.status}`)}
    </Badge>
  );
};
