/** The monitor form's state and the API body it becomes: empty optional fields are left out. */
import type { CreateMonitorRequest } from '@nflab/contracts';

/** What the create form holds (text fields as typed). */
export interface MonitorDraft {
  readonly name: string;
  readonly table: string | null;
  readonly loto: string;
  readonly cron: string;
  readonly currentDraws: number;
  readonly referenceDraws: number;
  readonly pValue: number;
  readonly retrainRunId: string;
  readonly webhookUrl: string;
}

/** A new form: weekly on Monday 06:00 UTC, the CLI's default windows and p-value. */
export const EMPTY_MONITOR_DRAFT: MonitorDraft = {
  name: '',
  table: null,
  loto: '',
  cron: '0 6 * * 1',
  currentDraws: 50,
  referenceDraws: 200,
  pValue: 0.01,
  retrainRunId: '',
  webhookUrl: '',
};

/** The `POST /api/monitors` body of a draft (the server checks every field). */
export const monitorRequest = (draft: MonitorDraft): CreateMonitorRequest => ({
  name: draft.name.trim(),
  table: draft.table ?? '',
  cron: draft.cron.trim(),
  current_draws: draft.currentDraws,
  reference_draws: draft.referenceDraws,
  thresholds: { p_value: draft.pValue },
  ...(draft.loto.trim() === '' ? {} : { loto: draft.loto.trim() }),
  ...(draft.retrainRunId.trim() === '' ? {} : { retrain_run_id: draft.retrainRunId.trim() }),
  ...(draft.webhookUrl.trim() === '' ? {} : { webhook_url: draft.webhookUrl.trim() }),
});

/** Which form field an API issue path (`body.current_draws`, `body.thresholds.p_value`) belongs to. */
export const draftFieldOf = (path: string): keyof MonitorDraft | undefined =>
  (
    ({
      'body.name': 'name',
      'body.table': 'table',
      'body.loto': 'loto',
      'body.cron': 'cron',
      'body.current_draws': 'currentDraws',
      'body.reference_draws': 'referenceDraws',
      'body.thresholds.p_value': 'pValue',
      'body.retrain_run_id': 'retrainRunId',
      'body.webhook_url': 'webhookUrl',
    }) as Record<string, keyof MonitorDraft>
  )[path];
