/** Wizard step 1: the table, the game and the series. */
import { Checkbox, Grid, MultiSelect, Select, Stack, TextInput } from '@mantine/core';
import { api } from '../../api/endpoints.js';
import { useApi } from '../../api/use-api.js';
import { AsyncView } from '../../components/AsyncView.js';
import { useI18n } from '../../i18n/i18n.js';
import type { StepProps } from './step-props.js';

/** Table → game → unique_ids. */
export const DataStep = ({ state, update }: StepProps) => {
  const { t } = useI18n();
  const tables = useApi('tables', () => api.tables());
  const games = useApi(state.table === null ? null : `games:${state.table}`, () =>
    api.games(state.table as string),
  );
  const series = useApi(
    state.table === null || state.loto === null ? null : `series:${state.table}:${state.loto}`,
    () => api.series(state.table as string, state.loto as string),
  );
  return (
    <Stack>
      <TextInput
        label={t('wizard.name')}
        value={state.name}
        onChange={(event) => update({ name: event.currentTarget.value })}
        data-testid="wizard-name"
        maw={420}
      />
      <AsyncView resource={tables} isEmpty={(data) => data.tables.length === 0} empty={t('data.noTables')}>
        {(data) => (
          <Grid>
            <Grid.Col span={{ base: 12, md: 4 }}>
              <Select
                label={t('data.table')}
                data-testid="wizard-table"
                data={data.tables.map((table) => table.name)}
                value={state.table}
                onChange={(table) => update({ table, loto: null, uniqueIds: [] })}
                searchable
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 3 }}>
              <Select
                label={t('data.game')}
                data-testid="wizard-game"
                data={games.status === 'ready' ? games.data.games : []}
                value={state.loto}
                disabled={games.status !== 'ready'}
                onChange={(loto) => update({ loto, uniqueIds: [] })}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 5 }}>
              <MultiSelect
                label={t('wizard.uniqueIds')}
                data-testid="wizard-series"
                data={series.status === 'ready' ? series.data.series.map((s) => s.uniqueId) : []}
                value={[...state.uniqueIds]}
                disabled={series.status !== 'ready'}
                onChange={(uniqueIds) => update({ uniqueIds })}
                searchable
              />
            </Grid.Col>
          </Grid>
        )}
      </AsyncView>
      <Checkbox
        label={t('wizard.eachUniqueId')}
        description={t('wizard.eachUniqueIdHelp')}
        checked={state.eachUniqueId}
        onChange={(event) => update({ eachUniqueId: event.currentTarget.checked })}
        data-testid="wizard-each-unique-id"
      />
    </Stack>
  );
};
