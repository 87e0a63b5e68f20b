/** Wizard step 3: presets (quick), every common field (standard) or the raw spec (advanced). */
import { useEffect, useState } from 'react';
import {
  Checkbox,
  Grid,
  Group,
  MultiSelect,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { BACKENDS, LOCAL_SCALER_IDS, METRIC_IDS, type MetricId } from '@nflab/contracts';
import { api } from '../../api/endpoints.js';
import type { Vocabulary } from '../../api/types.js';
import { useApi } from '../../api/use-api.js';
import { useI18n } from '../../i18n/i18n.js';
import { SpecEditor } from './SpecEditor.js';
import { buildSweepSpec, parseIntList, PRESETS, type PresetId } from './wizard-state.js';
import type { StepProps } from './step-props.js';

/**
 * Losses offered as alternatives: the engine registry's losses a spec can name by id alone (those
 * needing parameters go through the advanced spec editor), from the API; the chosen ones stay
 * listed while it loads.
 */
const lossChoices = (vocabulary: Vocabulary | undefined, chosen: readonly string[]): string[] => [
  ...new Set([
    ...(vocabulary?.losses ?? []).filter((loss) => !loss.needsParams).map((loss) => loss.id),
    ...chosen,
  ]),
];
const NO_SCALER = 'none';

const HorizonInput = ({ state, update }: StepProps) => {
  const { t } = useI18n();
  const [text, setText] = useState(state.horizons.join(', '));
  const parsed = parseIntList(text);
  return (
    <TextInput
      label={t('wizard.horizons')}
      description={t('wizard.horizonsHelp')}
      value={text}
      error={parsed === null ? t('wizard.horizonsError') : undefined}
      onChange={(event) => {
        setText(event.currentTarget.value);
        const values = parseIntList(event.currentTarget.value);
        if (values !== null) update({ horizons: values });
      }}
      data-testid="wizard-horizons"
    />
  );
};

/** input_size of plain models (search off): NeuralForecast has no default for it. */
const InputSizeInput = ({ state, update }: StepProps) => {
  const { t } = useI18n();
  if (state.search) return null;
  return (
    <NumberInput
      label={t('wizard.inputSize')}
      description={t('wizard.inputSizeHelp')}
      min={1}
      allowDecimal={false}
      value={state.inputSize ?? ''}
      onChange={(value) => update({ inputSize: typeof value === 'number' && value >= 1 ? value : null })}
      data-testid="wizard-inputSize"
    />
  );
};

const QuickParams = (props: StepProps) => {
  const { t, format } = useI18n();
  const { state, update } = props;
  return (
    <Stack>
      <SegmentedControl
        data-testid="wizard-preset"
        value={state.preset}
        onChange={(preset) => update({ preset: preset as PresetId })}
        data={(Object.keys(PRESETS) as PresetId[]).map((id) => ({
          value: id,
          label: t(`wizard.preset.${id}`),
        }))}
        maw={480}
      />
      <Text size="sm" c="dimmed">
        {t('wizard.presetDetail', {
          samples: format.integer(PRESETS[state.preset].num_samples),
          steps: format.integer(PRESETS[state.preset].max_steps),
        })}
      </Text>
      <Group grow align="flex-start" maw={640}>
        <HorizonInput {...props} />
        <InputSizeInput {...props} />
      </Group>
    </Stack>
  );
};

const StandardParams = (props: StepProps) => {
  const { t } = useI18n();
  const { state, update } = props;
  const vocabulary = useApi('vocabulary', () => api.vocabulary());
  const optuna = state.backends.includes('optuna');
  const ray = state.backends.includes('ray');
  const searchAlgs = [
    ...new Set([...(optuna ? BACKENDS.optuna.searchAlgs : []), ...(ray ? BACKENDS.ray.searchAlgs : [])]),
  ];
  const numberField = (
    key:
      'numSamples' | 'maxSteps' | 'valSize' | 'testSize' | 'randomSeed' | 'cvWindows' | 'earlyStopPatience',
    min: number,
  ) => (
    <NumberInput
      label={t(`wizard.field.${key}`)}
      min={min}
      allowDecimal={false}
      value={state[key]}
      onChange={(value) => typeof value === 'number' && update({ [key]: value })}
      data-testid={`wizard-${key}`}
    />
  );
  return (
    <Grid>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <HorizonInput {...props} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <MultiSelect
          label={t('wizard.field.loss')}
          description={state.hint ? t('wizard.lossByHint', { distribution: state.distribution }) : undefined}
          disabled={state.hint}
          data={lossChoices('data' in vocabulary ? vocabulary.data : undefined, state.losses)}
          value={[...state.losses]}
          onChange={(losses) => losses.length > 0 && update({ losses })}
          data-testid="wizard-loss"
        />
      </Grid.Col>
      {!state.search && (
        <Grid.Col span={{ base: 12, md: 4 }}>
          <InputSizeInput {...props} />
        </Grid.Col>
      )}
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Select
          label={t('wizard.field.metric')}
          data={[...METRIC_IDS]}
          value={state.metric}
          onChange={(metric) => metric !== null && update({ metric: metric as MetricId })}
        />
      </Grid.Col>
      <Grid.Col span={{ base: 6, md: 3 }}>{numberField('numSamples', 1)}</Grid.Col>
      <Grid.Col span={{ base: 6, md: 3 }}>{numberField('maxSteps', 1)}</Grid.Col>
      <Grid.Col span={{ base: 6, md: 3 }}>{numberField('valSize', 0)}</Grid.Col>
      <Grid.Col span={{ base: 6, md: 3 }}>{numberField('testSize', 0)}</Grid.Col>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <MultiSelect
          label={t('wizard.field.scaler')}
          data={[NO_SCALER, ...LOCAL_SCALER_IDS]}
          value={state.scalers.map((s) => s ?? NO_SCALER)}
          onChange={(values) =>
            values.length > 0 && update({ scalers: values.map((v) => (v === NO_SCALER ? null : v)) })
          }
          data-testid="wizard-scaler"
        />
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Text size="sm" fw={500}>
          {t('wizard.field.refitWithVal')}
        </Text>
        <Checkbox.Group
          value={state.refitWithVal.map(String)}
          onChange={(values) =>
            values.length > 0 && update({ refitWithVal: values.map((v) => v === 'true') })
          }
        >
          <Stack gap={2} mt={4}>
            <Checkbox value="false" label={t('wizard.no')} />
            <Checkbox value="true" label={t('wizard.yes')} />
          </Stack>
        </Checkbox.Group>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Stack gap="xs">
          <Checkbox
            label={t('wizard.field.earlyStop')}
            checked={state.earlyStop}
            onChange={(e) => update({ earlyStop: e.currentTarget.checked })}
          />
          {state.earlyStop && numberField('earlyStopPatience', 1)}
          <Checkbox
            label={t('wizard.field.useInitModels')}
            checked={state.useInitModels}
            onChange={(e) => update({ useInitModels: e.currentTarget.checked })}
          />
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Select
          label={t('wizard.field.searchAlg')}
          description={t('wizard.defaultHelp')}
          data={searchAlgs}
          value={state.searchAlg}
          onChange={(searchAlg) => update({ searchAlg })}
          clearable
        />
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Select
          label={t('wizard.field.pruner')}
          description={optuna ? t('wizard.defaultHelp') : t('wizard.optunaOnly')}
          data={[...BACKENDS.optuna.pruners]}
          value={state.pruner}
          disabled={!optuna}
          onChange={(pruner) => update({ pruner })}
          clearable
        />
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Select
          label={t('wizard.field.scheduler')}
          description={ray ? t('wizard.defaultHelp') : t('wizard.rayOnly')}
          data={[...BACKENDS.ray.schedulers]}
          value={state.scheduler}
          disabled={!ray}
          onChange={(scheduler) => update({ scheduler })}
          clearable
        />
      </Grid.Col>
      <Grid.Col span={{ base: 6, md: 3 }}>{numberField('randomSeed', 0)}</Grid.Col>
      <Grid.Col span={{ base: 6, md: 3 }}>{numberField('cvWindows', 0)}</Grid.Col>
      <Grid.Col span={{ base: 6, md: 3 }}>
        <NumberInput
          label={t('wizard.field.timeBudget')}
          min={1}
          value={state.timeBudget ?? ''}
          onChange={(value) => update({ timeBudget: typeof value === 'number' && value > 0 ? value : null })}
        />
      </Grid.Col>
    </Grid>
  );
};

/** The parameters step for the current mode. */
export const ParamsStep = (props: StepProps) => {
  const { state, update } = props;
  // Entering advanced mode starts the editor from what the form describes.
  useEffect(() => {
    if (state.mode === 'advanced' && state.specText === null) {
      update({ specText: JSON.stringify(buildSweepSpec({ ...state, mode: 'standard' }), null, 2) });
    }
  }, [state, update]);
  if (state.mode === 'quick') return <QuickParams {...props} />;
  if (state.mode === 'standard') return <StandardParams {...props} />;
  return <SpecEditor state={state} update={update} />;
};
