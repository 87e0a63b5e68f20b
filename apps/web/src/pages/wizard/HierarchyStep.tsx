/**
 * Wizard step 3: HINT. Coherent forecasts of the chosen series and aggregates of them, reconciled
 * by one of NeuralForecast's methods; every problem is listed with the field and the fix.
 */
import {
  Alert,
  Button,
  Checkbox,
  Code,
  Group,
  List,
  MultiSelect,
  Paper,
  Radio,
  Select,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import { RECONCILIATION_METHODS, type ReconciliationMethod } from '@nflab/contracts';
import { api } from '../../api/endpoints.js';
import { useApi } from '../../api/use-api.js';
import { useI18n } from '../../i18n/i18n.js';
import {
  hintIssues,
  hintSpecFields,
  INITIAL_HINT,
  runSeriesCount,
  type HintIssue,
  type WizardAggregate,
} from './hint-state.js';
import type { StepProps } from './step-props.js';

/** A fresh aggregate's name: 'total', then 'total_2', … whichever is free. */
const freshId = (taken: readonly string[]): string => {
  for (let n = 1; ; n += 1) {
    const id = n === 1 ? 'total' : `total_${n}`;
    if (!taken.includes(id)) return id;
  }
};

const AggregateRow = ({
  aggregate,
  index,
  state,
  onChange,
  onRemove,
}: {
  readonly aggregate: WizardAggregate;
  readonly index: number;
  readonly state: StepProps['state'];
  readonly onChange: (next: WizardAggregate) => void;
  readonly onRemove: () => void;
}) => {
  const { t } = useI18n();
  const all = aggregate.members === null;
  return (
    <Paper withBorder p="sm" data-testid={`hint-aggregate-${index}`}>
      <Group align="flex-end" wrap="wrap">
        <TextInput
          label={t('hint.aggregateId')}
          value={aggregate.id}
          onChange={(event) => onChange({ ...aggregate, id: event.currentTarget.value })}
          data-testid={`hint-aggregate-${index}-id`}
          w={180}
        />
        <Checkbox
          label={t('hint.aggregateAll')}
          checked={all}
          onChange={(event) =>
            onChange({ ...aggregate, members: event.currentTarget.checked ? null : [...state.uniqueIds] })
          }
          data-testid={`hint-aggregate-${index}-all`}
          mb={8}
        />
        {!all && (
          <MultiSelect
            label={t('hint.aggregateMembers')}
            // Members no longer chosen stay listed, so the issue about them can be fixed here.
            data={[...new Set([...state.uniqueIds, ...(aggregate.members ?? [])])]}
            value={[...(aggregate.members ?? [])]}
            onChange={(members) => onChange({ ...aggregate, members })}
            data-testid={`hint-aggregate-${index}-members`}
            miw={240}
            searchable
          />
        )}
        <Button
          variant="subtle"
          color="red"
          onClick={onRemove}
          data-testid={`hint-aggregate-${index}-remove`}
        >
          {t('hint.removeAggregate')}
        </Button>
      </Group>
    </Paper>
  );
};

const Issues = ({ issues }: { readonly issues: readonly HintIssue[] }) => {
  const { t } = useI18n();
  if (issues.length === 0) return null;
  return (
    <Alert color="orange" title={t('hint.issuesTitle')} data-testid="hint-issues">
      <List size="sm">
        {issues.map((issue, index) => (
          <List.Item key={index} data-code={issue.code}>
            {t(`hint.issue.${issue.code}`, issue.values)}
          </List.Item>
        ))}
      </List>
    </Alert>
  );
};

/** The HINT step: off by default; on, the aggregates, the reconciliation and the distribution. */
export const HierarchyStep = ({ state, update }: StepProps) => {
  const { t } = useI18n();
  const models = useApi('models', () => api.models());
  const vocabulary = useApi('vocabulary', () => api.vocabulary());
  const pointLossOnly =
    models.status === 'ready' ? models.data.filter((m) => m.pointLossOnly).map((m) => m.id) : [];
  const distributions = vocabulary.status === 'ready' ? vocabulary.data.distributions : [state.distribution];
  const issues = hintIssues(state, pointLossOnly);
  const setAggregate = (index: number, next: WizardAggregate) =>
    update({ aggregates: state.aggregates.map((a, i) => (i === index ? next : a)) });

  return (
    <Stack>
      <Switch
        label={t('hint.enable')}
        description={t('hint.enableHelp')}
        checked={state.hint}
        // HINT trains one plain model without exogenous columns: turning it on sets those choices.
        onChange={(event) =>
          update(
            event.currentTarget.checked
              ? {
                  hint: true,
                  search: false,
                  exogenous: 'none',
                  ...(state.aggregates.length === 0 ? { aggregates: INITIAL_HINT.aggregates } : {}),
                }
              : { hint: false },
          )
        }
        data-testid="wizard-hint"
      />
      {state.hint && (
        <>
          <Text size="sm" c="dimmed">
            {t('hint.enabledNote', { count: runSeriesCount(state) })}
          </Text>
          <Issues issues={issues} />
          <Stack gap="xs">
            <Text size="sm" fw={500}>
              {t('hint.aggregates')}
            </Text>
            <Text size="xs" c="dimmed">
              {t('hint.aggregatesHelp')}
            </Text>
            {state.aggregates.map((aggregate, index) => (
              <AggregateRow
                key={index}
                aggregate={aggregate}
                index={index}
                state={state}
                onChange={(next) => setAggregate(index, next)}
                onRemove={() => update({ aggregates: state.aggregates.filter((_, i) => i !== index) })}
              />
            ))}
            <Group>
              <Button
                variant="default"
                size="xs"
                onClick={() =>
                  update({
                    aggregates: [
                      ...state.aggregates,
                      { id: freshId(state.aggregates.map((a) => a.id)), members: [...state.uniqueIds] },
                    ],
                  })
                }
                data-testid="hint-add-aggregate"
              >
                {t('hint.addAggregate')}
              </Button>
            </Group>
          </Stack>
          <Radio.Group
            label={t('hint.reconciliation')}
            value={state.reconciliation}
            onChange={(value) => update({ reconciliation: value as ReconciliationMethod })}
          >
            <Stack gap={6} mt={6}>
              {RECONCILIATION_METHODS.map((method) => (
                <Radio
                  key={method}
                  value={method}
                  label={method}
                  description={t(`hint.reconciliation.${method}`)}
                  data-testid={`hint-reconciliation-${method}`}
                />
              ))}
            </Stack>
          </Radio.Group>
          <Select
            label={t('hint.distribution')}
            description={t('hint.distributionHelp')}
            data={distributions}
            value={state.distribution}
            onChange={(distribution) => distribution !== null && update({ distribution })}
            allowDeselect={false}
            maw={360}
            data-testid="hint-distribution"
          />
          <Code block data-testid="hint-preview">
            {JSON.stringify(hintSpecFields(state), null, 2)}
          </Code>
        </>
      )}
    </Stack>
  );
};
