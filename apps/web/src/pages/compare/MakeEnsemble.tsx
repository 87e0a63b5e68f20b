/** For editors on the compare page: combine the compared runs into an ensemble run and open it. */
import { useState } from 'react';
import { Alert, Button, Group, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { useNavigate } from 'react-router-dom';
import {
  ENSEMBLE_METHODS,
  ENSEMBLE_WEIGHT_METRICS,
  type EnsembleMethod,
  type EnsembleWeightMetric,
} from '@nflab/contracts';
import { api } from '../../api/endpoints.js';
import { useCanEdit } from '../../auth/auth.js';
import { errorText } from '../../components/AsyncView.js';
import { useI18n } from '../../i18n/i18n.js';

/** The control; nothing for viewers. The server checks the members (finished, one table …) and says why not. */
export const MakeEnsemble = ({ runIds }: { readonly runIds: readonly string[] }) => {
  const { t } = useI18n();
  const canEdit = useCanEdit();
  const navigate = useNavigate();
  const [method, setMethod] = useState<EnsembleMethod>('mean');
  const [weightMetric, setWeightMetric] = useState<EnsembleWeightMetric>('mae');
  const [state, setState] = useState<{ busy: boolean; error?: unknown }>({ busy: false });
  if (!canEdit) return null;

  const make = async () => {
    setState({ busy: true });
    try {
      const { runId } = await api.startEnsemble({
        members: [...runIds],
        method,
        ...(method === 'inverse_error' ? { weight_metric: weightMetric } : {}),
      });
      navigate(`/runs/${runId}`);
    } catch (error) {
      setState({ busy: false, error });
    }
  };

  return (
    <Paper withBorder p="sm" data-testid="ensemble-make">
      <Stack gap="xs">
        <Title order={5}>{t('ensemble.make')}</Title>
        <Text size="sm" c="dimmed">
          {t('ensemble.makeNote')}
        </Text>
        <Group align="flex-end">
          <Select
            size="xs"
            label={t('ensemble.method')}
            data={ENSEMBLE_METHODS.map((id) => ({ value: id, label: t(`ensemble.method.${id}`) }))}
            value={method}
            onChange={(value) => value !== null && setMethod(value as EnsembleMethod)}
            allowDeselect={false}
            data-testid="ensemble-method"
          />
          {method === 'inverse_error' && (
            <Select
              size="xs"
              label={t('ensemble.weightMetric')}
              description={t('ensemble.weightMetricNote')}
              data={[...ENSEMBLE_WEIGHT_METRICS]}
              value={weightMetric}
              onChange={(value) => value !== null && setWeightMetric(value as EnsembleWeightMetric)}
              allowDeselect={false}
              data-testid="ensemble-weight-metric"
            />
          )}
          <Button size="xs" loading={state.busy} onClick={() => void make()} data-testid="ensemble-submit">
            {t('ensemble.submit')}
          </Button>
        </Group>
        {state.error !== undefined && (
          <Alert color="red" title={t('ensemble.refused')} role="alert" data-testid="ensemble-error">
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {errorText(state.error)}
            </Text>
          </Alert>
        )}
      </Stack>
    </Paper>
  );
};
