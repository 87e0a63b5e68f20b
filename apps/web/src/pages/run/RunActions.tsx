/** Model operations on a run (editors): predict, refit, cross-validate, promote; cancel while active. */
import { useState } from 'react';
import { Button, Group, Menu, NumberInput, Popover, Stack, Switch } from '@mantine/core';
import { useNavigate } from 'react-router-dom';
import { REGISTRY_STAGE_IDS } from '@nflab/contracts';
import { api } from '../../api/endpoints.js';
import type { RegistryStage, RunDetail } from '../../api/types.js';
import { hasRole, useUser } from '../../auth/auth.js';
import { ErrorState } from '../../components/AsyncView.js';
import { useI18n } from '../../i18n/i18n.js';
import { isActiveStatus } from '../../runs/shown-status.js';

const CvForm = ({
  onRun,
  busy,
}: {
  readonly onRun: (body: { n_windows: number; step_size: number; refit: boolean }) => void;
  readonly busy: boolean;
}) => {
  const { t } = useI18n();
  const [nWindows, setNWindows] = useState(3);
  const [stepSize, setStepSize] = useState(1);
  const [refit, setRefit] = useState(false);
  return (
    <Stack gap="xs">
      <NumberInput
        label={t('run.cv.windows')}
        min={1}
        value={nWindows}
        onChange={(v) => typeof v === 'number' && setNWindows(v)}
      />
      <NumberInput
        label={t('run.cv.stepSize')}
        min={1}
        value={stepSize}
        onChange={(v) => typeof v === 'number' && setStepSize(v)}
      />
      <Switch label={t('run.cv.refit')} checked={refit} onChange={(e) => setRefit(e.currentTarget.checked)} />
      <Button
        size="xs"
        loading={busy}
        onClick={() => onRun({ n_windows: nWindows, step_size: stepSize, refit })}
        data-testid="run-cv-submit"
      >
        {t('action.start')}
      </Button>
    </Stack>
  );
};

/** The action buttons; nothing for viewers. */
/**
 * Predict, refit, cross-validate and promote start from a saved model: enabled once the run saved
 * one, shown disabled while a training or refit run may still save one, hidden otherwise (predict,
 * cv, importance and ensemble runs save none — the server refuses them too).
 */
const modelActionsOf = (run: RunDetail): 'enabled' | 'disabled' | 'hidden' => {
  const saved = Boolean((run.model_properties as { modelDir?: string | null } | null)?.modelDir);
  if (run.status === 'finished') return saved ? 'enabled' : 'hidden';
  return run.operation === 'train' || run.operation === 'refit' || run.operation === null
    ? 'disabled'
    : 'hidden';
};

export const RunActions = ({
  run,
  onChanged,
}: {
  readonly run: RunDetail;
  readonly onChanged: () => void;
}) => {
  const { t } = useI18n();
  const user = useUser();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  if (!hasRole(user, 'editor')) return null;
  const active = isActiveStatus(run.status);
  const modelActions = modelActionsOf(run);

  const perform = async (action: () => Promise<{ runId: string } | unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      const result = await action();
      if (typeof result === 'object' && result !== null && 'runId' in result)
        navigate(`/runs/${String(result.runId)}`);
      else onChanged();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="xs" align="flex-end">
      <Group gap="xs">
        {active && (
          <Button
            size="xs"
            color="red"
            variant="light"
            loading={busy}
            onClick={() => void perform(() => api.cancelRun(run.id))}
            data-testid="run-cancel"
          >
            {t('action.cancel')}
          </Button>
        )}
        {modelActions !== 'hidden' && (
          <>
            {(['predict', 'refit'] as const).map((kind) => (
              <Button
                key={kind}
                size="xs"
                variant="light"
                disabled={modelActions !== 'enabled'}
                loading={busy}
                onClick={() => void perform(() => api[kind](run.id))}
                data-testid={`run-${kind}`}
              >
                {t(`run.action.${kind}`)}
              </Button>
            ))}
            <Popover withArrow trapFocus>
              <Popover.Target>
                <Button size="xs" variant="light" disabled={modelActions !== 'enabled'} data-testid="run-cv">
                  {t('run.action.cv')}
                </Button>
              </Popover.Target>
              <Popover.Dropdown>
                <CvForm busy={busy} onRun={(body) => void perform(() => api.crossValidate(run.id, body))} />
              </Popover.Dropdown>
            </Popover>
            <Menu>
              <Menu.Target>
                <Button
                  size="xs"
                  variant="light"
                  disabled={modelActions !== 'enabled'}
                  data-testid="run-promote"
                >
                  {t('run.action.promote')}
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                {REGISTRY_STAGE_IDS.map((stage: RegistryStage) => (
                  <Menu.Item
                    key={stage}
                    disabled={stage === 'prod' && !hasRole(user, 'admin')}
                    title={
                      stage === 'prod' && !hasRole(user, 'admin') ? t('run.promote.adminOnly') : undefined
                    }
                    onClick={() =>
                      void perform(async () => {
                        const entry = await api.promote(run.id, stage);
                        // The registered model's page: its versions, aliases and the new version's card.
                        navigate(`/registry/${encodeURIComponent(entry.name)}`);
                      })
                    }
                    data-testid={`run-promote-${stage}`}
                  >
                    {stage}
                  </Menu.Item>
                ))}
              </Menu.Dropdown>
            </Menu>
          </>
        )}
      </Group>
      {error !== undefined && <ErrorState error={error} />}
    </Stack>
  );
};
