/**
 * Champion vs challenger on a registered model's page: two aliases compared on their most recent
 * shared forecast points (Diebold–Mariano, paired t, Wilcoxon) with the A/B power analysis — how
 * many points a given MAE difference needs at the chosen power and significance.
 */
import { useState } from 'react';
import { Alert, Button, Card, Group, NumberInput, Select, Stack, Table, Text } from '@mantine/core';
import { api } from '../../api/endpoints.js';
import type { ApiResponse } from '../../api/types.js';
import { ErrorState } from '../../components/AsyncView.js';
import { useI18n } from '../../i18n/i18n.js';

type Comparison = ApiResponse<'compareRegistryAliases'>;

const p = (value: number | null | undefined): string =>
  value === null || value === undefined ? '—' : value.toPrecision(3);

const Result = ({ result }: { readonly result: Comparison }) => {
  const { t } = useI18n();
  const pair = result.comparison.pairs[0];
  return (
    <Stack gap="xs" data-testid="registry-compare-result">
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('registry.alias')}</Table.Th>
            <Table.Th>{t('registry.version')}</Table.Th>
            <Table.Th>MAE</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {[result.champion, result.challenger].map((side) => (
            <Table.Tr key={side.alias}>
              <Table.Td>@{side.alias}</Table.Td>
              <Table.Td>v{side.version}</Table.Td>
              <Table.Td>{side.mae.toPrecision(4)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="sm">
        {t('registry.compare.tests', {
          points: result.points,
          from: result.from,
          to: result.to,
          dm: p(pair?.dieboldMariano?.pValue),
          t: p(pair?.tTest.pValue),
          wilcoxon: p(pair?.wilcoxon.pValue),
        })}
      </Text>
      <Text size="sm" data-testid="registry-compare-power">
        {result.power.pointsNeeded === null
          ? t('registry.compare.noPower')
          : t('registry.compare.power', {
              needed: result.power.pointsNeeded,
              difference: result.power.maeDifference.toPrecision(3),
              power: result.power.power,
              alpha: result.power.alpha,
              have: result.points,
              achieved: p(result.power.achievedPower),
            })}
      </Text>
      <Alert variant="light" data-testid="registry-compare-verdict">
        {result.verdict}
      </Alert>
    </Stack>
  );
};

/** The comparison panel; needs two aliases. */
export const ChampionChallenger = ({
  name,
  aliases,
}: {
  readonly name: string;
  readonly aliases: readonly string[];
}) => {
  const { t } = useI18n();
  const [champion, setChampion] = useState<string | null>(
    aliases.includes('champion') ? 'champion' : (aliases[0] ?? null),
  );
  const [challenger, setChallenger] = useState<string | null>(
    aliases.includes('challenger') ? 'challenger' : (aliases.find((alias) => alias !== champion) ?? null),
  );
  const [recent, setRecent] = useState<number>(100);
  const [power, setPower] = useState<number>(0.8);
  const [alpha, setAlpha] = useState<number>(0.05);
  const [difference, setDifference] = useState<number | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [result, setResult] = useState<Comparison>();
  const compare = async () => {
    if (champion === null || challenger === null) return;
    setBusy(true);
    setError(undefined);
    try {
      setResult(
        await api.compareRegistry(name, {
          champion,
          challenger,
          recent,
          power,
          alpha,
          ...(difference === undefined ? {} : { mae_difference: difference }),
        }),
      );
    } catch (caught) {
      setError(caught);
      setResult(undefined);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card withBorder data-testid="registry-compare">
      <Stack gap="xs">
        <Text fw={600}>{t('registry.compare.title')}</Text>
        <Text size="sm" c="dimmed">
          {t('registry.compare.intro')}
        </Text>
        <Group gap="xs" align="flex-end">
          <Select
            size="xs"
            label={t('registry.compare.champion')}
            data={[...aliases]}
            value={champion}
            onChange={setChampion}
          />
          <Select
            size="xs"
            label={t('registry.compare.challenger')}
            data={[...aliases]}
            value={challenger}
            onChange={setChallenger}
          />
          <NumberInput
            size="xs"
            w={110}
            label={t('registry.compare.recent')}
            min={3}
            value={recent}
            onChange={(v) => typeof v === 'number' && setRecent(v)}
          />
          <NumberInput
            size="xs"
            w={90}
            label={t('registry.compare.powerLabel')}
            min={0.5}
            max={0.99}
            step={0.05}
            decimalScale={2}
            value={power}
            onChange={(v) => typeof v === 'number' && setPower(v)}
          />
          <NumberInput
            size="xs"
            w={90}
            label="α"
            min={0.001}
            max={0.2}
            step={0.01}
            decimalScale={3}
            value={alpha}
            onChange={(v) => typeof v === 'number' && setAlpha(v)}
          />
          <NumberInput
            size="xs"
            w={150}
            label={t('registry.compare.difference')}
            placeholder={t('registry.compare.observed')}
            min={0}
            decimalScale={4}
            value={difference ?? ''}
            onChange={(v) => setDifference(typeof v === 'number' && v > 0 ? v : undefined)}
          />
          <Button
            size="xs"
            loading={busy}
            disabled={champion === null || challenger === null || champion === challenger}
            onClick={() => void compare()}
            data-testid="registry-compare-run"
          >
            {t('registry.compare.run')}
          </Button>
        </Group>
        {error !== undefined && <ErrorState error={error} />}
        {result !== undefined && <Result result={result} />}
      </Stack>
    </Card>
  );
};
