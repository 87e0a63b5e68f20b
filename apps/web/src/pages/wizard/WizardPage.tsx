/** New experiment: data → models & backend → hierarchy (HINT) → search & parameters → review → run. */
import { useCallback } from 'react';
import { Button, Group, SegmentedControl, Stack, Stepper, Text, Title } from '@mantine/core';
import { useI18n } from '../../i18n/i18n.js';
import { usePersistentState } from '../../lib/persistent-state.js';
import { DataStep } from './DataStep.js';
import { HierarchyStep } from './HierarchyStep.js';
import { hintIssues } from './hint-state.js';
import { ModelStep } from './ModelStep.js';
import { ParamsStep } from './ParamsStep.js';
import { ReviewStep } from './ReviewStep.js';
import {
  INITIAL_WIZARD,
  isWizardState,
  WIZARD_MODES,
  type WizardMode,
  type WizardState,
} from './wizard-state.js';

const STEPS = [
  {
    id: 'data',
    label: 'wizard.step.data',
    component: DataStep,
    ready: (s: WizardState) => s.table !== null && s.loto !== null && s.uniqueIds.length > 0,
  },
  {
    id: 'models',
    label: 'wizard.step.models',
    component: ModelStep,
    ready: (s: WizardState) => s.models.length > 0 && s.backends.length > 0,
  },
  {
    id: 'hint',
    label: 'wizard.step.hint',
    component: HierarchyStep,
    // A model that cannot take HINT's loss is blocked on the models step and refused by the plan.
    ready: (s: WizardState) => hintIssues(s).length === 0,
  },
  { id: 'params', label: 'wizard.step.params', component: ParamsStep, ready: () => true },
  { id: 'review', label: 'wizard.step.review', component: ReviewStep, ready: () => true },
] as const;

/** The wizard page. */
export const WizardPage = () => {
  const { t } = useI18n();
  const [state, setState] = usePersistentState('nflab.wizard', INITIAL_WIZARD, isWizardState);
  const update = useCallback(
    (patch: Partial<WizardState>) => setState((previous) => ({ ...previous, ...patch })),
    [setState],
  );
  const step = Math.min(Math.max(state.step, 0), STEPS.length - 1);
  const current = STEPS[step] ?? STEPS[0];
  const Current = current.component;
  // In advanced mode the JSON editor is the source, so the form steps do not gate progress.
  const canAdvance = state.mode === 'advanced' || current.ready(state);
  // A later step opens directly once every step before it is complete.
  const reachable = (index: number) =>
    state.mode === 'advanced' || STEPS.slice(0, index).every((entry) => entry.ready(state));

  return (
    <Stack gap="md" data-testid="wizard">
      <Group justify="space-between">
        <Title order={2}>{t('wizard.title')}</Title>
        <Group>
          <SegmentedControl
            data-testid="wizard-mode"
            aria-label={t('wizard.mode')}
            value={state.mode}
            onChange={(mode) => update({ mode: mode as WizardMode })}
            data={WIZARD_MODES.map((mode) => ({ value: mode, label: t(`wizard.mode.${mode}`) }))}
          />
          <Button
            variant="subtle"
            color="gray"
            onClick={() => setState(INITIAL_WIZARD)}
            data-testid="wizard-reset"
          >
            {t('wizard.reset')}
          </Button>
        </Group>
      </Group>
      <Stepper active={step} onStepClick={(index) => reachable(index) && update({ step: index })} size="sm">
        {STEPS.map((entry) => (
          <Stepper.Step key={entry.id} label={t(entry.label)} data-testid={`wizard-step-${entry.id}`} />
        ))}
      </Stepper>
      <Current state={state} update={update} />
      <Group justify="space-between">
        <Button
          variant="default"
          disabled={step === 0}
          onClick={() => update({ step: step - 1 })}
          data-testid="wizard-back"
        >
          {t('action.back')}
        </Button>
        {step < STEPS.length - 1 && (
          <Group>
            {!canAdvance && (
              <Text size="sm" c="dimmed">
                {t('wizard.completeStep')}
              </Text>
            )}
            <Button
              disabled={!canAdvance}
              onClick={() => update({ step: step + 1 })}
              data-testid="wizard-next"
            >
              {t('action.next')}
            </Button>
          </Group>
        )}
      </Group>
    </Stack>
  );
};
