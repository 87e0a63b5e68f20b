/** Wizard step 2: models (capabilities from the registry) and the search backend. */
import {
  Badge,
  Checkbox,
  Group,
  Paper,
  Radio,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Tooltip,
} from '@mantine/core';
import { BACKEND_IDS, type Backend } from '@nflab/contracts';
import { api } from '../../api/endpoints.js';
import type { ModelInfo } from '../../api/types.js';
import { useApi } from '../../api/use-api.js';
import { AsyncView } from '../../components/AsyncView.js';
import { useI18n } from '../../i18n/i18n.js';
import { runSeriesCount } from './hint-state.js';
import { modelBlocker, type ExogenousChoice } from './wizard-state.js';
import type { StepProps } from './step-props.js';

const ExogBadges = ({ model }: { readonly model: ModelInfo }) => {
  const { t } = useI18n();
  const kinds = (['futr', 'hist', 'stat'] as const).filter((kind) => model.exogenous[kind]);
  return (
    <Group gap={4}>
      {kinds.length === 0 ? (
        <Badge size="xs" color="gray" variant="light">
          {t('wizard.noExog')}
        </Badge>
      ) : (
        kinds.map((kind) => (
          <Badge key={kind} size="xs" variant="light">
            {kind}
          </Badge>
        ))
      )}
      {model.multivariate && (
        <Badge size="xs" color="grape" variant="light">
          {t('wizard.multivariate')}
        </Badge>
      )}
    </Group>
  );
};

/** Model cards with capability badges; unusable ones are disabled and say why. */
export const ModelStep = ({ state, update }: StepProps) => {
  const { t } = useI18n();
  const models = useApi('models', () => api.models());
  const toggle = (id: string, on: boolean) =>
    update({ models: on ? [...state.models, id] : state.models.filter((m) => m !== id) });
  const toggleBackend = (backend: Backend, on: boolean) =>
    update({ backends: on ? [...state.backends, backend] : state.backends.filter((b) => b !== backend) });

  return (
    <Stack>
      <Group align="flex-start" gap="xl">
        <Radio.Group
          label={t('wizard.exogenous')}
          value={state.exogenous}
          onChange={(value) => update({ exogenous: value as ExogenousChoice })}
        >
          <Group mt={4}>
            <Radio value="none" label={t('wizard.exog.none')} data-testid="wizard-exog-none" />
            <Radio value="auto" label={t('wizard.exog.auto')} data-testid="wizard-exog-auto" />
          </Group>
        </Radio.Group>
        <Switch
          label={t('wizard.search')}
          description={t('wizard.searchHelp')}
          checked={state.search}
          onChange={(event) => update({ search: event.currentTarget.checked })}
          data-testid="wizard-search"
        />
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t('wizard.backends')}
          </Text>
          <Group>
            {BACKEND_IDS.map((backend) => (
              <Checkbox
                key={backend}
                label={backend}
                checked={state.backends.includes(backend)}
                onChange={(event) => toggleBackend(backend, event.currentTarget.checked)}
                data-testid={`wizard-backend-${backend}`}
              />
            ))}
          </Group>
          <Text size="xs" c="dimmed" maw={360}>
            {t('wizard.backendsNative')}
          </Text>
        </Stack>
      </Group>
      <AsyncView resource={models} isEmpty={(data) => data.length === 0}>
        {(data) => (
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} data-testid="wizard-models">
            {data.map((model) => {
              const blocker = modelBlocker(model, state);
              const checked = state.models.includes(model.id);
              const card = (
                <Paper withBorder p="sm" opacity={blocker === null ? 1 : 0.6}>
                  <Checkbox
                    label={<Text fw={600}>{model.label}</Text>}
                    description={model.family}
                    checked={checked}
                    disabled={blocker !== null && !checked}
                    onChange={(event) => toggle(model.id, event.currentTarget.checked)}
                    data-testid={`wizard-model-${model.id}`}
                  />
                  <ExogBadges model={model} />
                  {blocker === null && model.multivariate && (
                    <Text size="xs" c="dimmed" mt={4} data-testid={`wizard-model-${model.id}-note`}>
                      {runSeriesCount(state) === 1
                        ? t('wizard.multivariateOneSeries')
                        : t('wizard.multivariateNote', { count: runSeriesCount(state) })}
                    </Text>
                  )}
                  {blocker !== null && (
                    <Text size="xs" c="orange" mt={4} data-testid={`wizard-model-${model.id}-reason`}>
                      {t(`wizard.blocker.${blocker}`)}
                    </Text>
                  )}
                </Paper>
              );
              return blocker === null ? (
                <div key={model.id}>{card}</div>
              ) : (
                <Tooltip key={model.id} label={t(`wizard.blocker.${blocker}`)}>
                  <div>{card}</div>
                </Tooltip>
              );
            })}
          </SimpleGrid>
        )}
      </AsyncView>
    </Stack>
  );
};
