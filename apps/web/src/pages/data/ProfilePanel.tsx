/** The data-quality profile of one game: counts, date range, gaps, nulls, distinct values, weekdays. */
import { useMemo } from 'react';
import { Group, Paper, ScrollArea, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { api } from '../../api/endpoints.js';
import type { DataProfile } from '../../api/types.js';
import { useApi } from '../../api/use-api.js';
import { barChart } from '../../charts/common.js';
import { AsyncView } from '../../components/AsyncView.js';
import { EChart } from '../../components/EChart.js';
import { useI18n } from '../../i18n/i18n.js';

const Stat = ({
  label,
  value,
  testId,
}: {
  readonly label: string;
  readonly value: string;
  readonly testId: string;
}) => (
  <Paper withBorder p="sm">
    <Text size="xs" c="dimmed">
      {label}
    </Text>
    <Text fw={700} data-testid={testId}>
      {value}
    </Text>
  </Paper>
);

const weekdayNames = (locale: string): string[] =>
  // 2023-01-01 was a Sunday: weekday 0 as the profile counts them.
  Array.from({ length: 7 }, (_, day) =>
    new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' }).format(
      new Date(Date.UTC(2023, 0, 1 + day)),
    ),
  );

const ProfileView = ({ profile }: { readonly profile: DataProfile }) => {
  const { t, format } = useI18n();
  const weekdays = useMemo(() => {
    const draws = Array.from(
      { length: 7 },
      (_, day) => profile.weekdays.find((w) => w.weekday === day)?.draws ?? 0,
    );
    return barChart(weekdayNames(format.locale), draws, t('data.profile.draws'));
  }, [profile, format.locale, t]);
  const columns = [...new Set([...Object.keys(profile.nulls), ...Object.keys(profile.distinct)])];
  return (
    <Stack data-testid="data-profile">
      <SimpleGrid cols={{ base: 2, md: 5 }}>
        <Stat label={t('data.profile.rows')} value={format.integer(profile.rows)} testId="profile-rows" />
        <Stat
          label={t('data.profile.series')}
          value={format.integer(profile.series)}
          testId="profile-series"
        />
        <Stat
          label={t('data.profile.from')}
          value={format.date(profile.dateRange?.from)}
          testId="profile-from"
        />
        <Stat label={t('data.profile.to')} value={format.date(profile.dateRange?.to)} testId="profile-to" />
        <Stat
          label={t('data.profile.gaps')}
          value={profile.gaps === null ? t('data.profile.gapsUnknown') : format.integer(profile.gaps.count)}
          testId="profile-gaps"
        />
      </SimpleGrid>
      {profile.gaps !== null && profile.gaps.dates.length > 0 && (
        <Text size="xs" c="dimmed">
          {t('data.profile.gapDates')}: {profile.gaps.dates.slice(0, 20).map(format.date).join(', ')}
          {profile.gaps.dates.length > 20 ? ' …' : ''}
        </Text>
      )}
      <Group align="flex-start" grow>
        <Paper withBorder p="xs">
          <Title order={5}>{t('data.profile.weekdays')}</Title>
          <EChart
            option={weekdays}
            height={240}
            testId="profile-weekday-chart"
            label={t('data.profile.weekdays')}
          />
        </Paper>
        <Paper withBorder p="xs">
          <Title order={5}>{t('data.profile.columns')}</Title>
          <ScrollArea h={240}>
            <Table fz="xs" data-testid="profile-columns">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('data.profile.column')}</Table.Th>
                  <Table.Th>{t('data.profile.nulls')}</Table.Th>
                  <Table.Th>{t('data.profile.distinct')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {columns.map((column) => (
                  <Table.Tr key={column}>
                    <Table.Td>{column}</Table.Td>
                    <Table.Td>{format.integer(profile.nulls[column])}</Table.Td>
                    <Table.Td>{format.integer(profile.distinct[column])}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea>
        </Paper>
      </Group>
    </Stack>
  );
};

/** Loads and shows the profile. */
export const ProfilePanel = ({ table, loto }: { readonly table: string; readonly loto: string }) => {
  const profile = useApi(`profile:${table}:${loto}`, () => api.profile(table, loto));
  return <AsyncView resource={profile}>{(data) => <ProfileView profile={data} />}</AsyncView>;
};
