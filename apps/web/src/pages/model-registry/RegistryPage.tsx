/** The model registry: every registered model with its versions, newest version per stage and aliases. */
import { Anchor, Badge, Group, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { api } from '../../api/endpoints.js';
import { useApi } from '../../api/use-api.js';
import { AsyncView } from '../../components/AsyncView.js';
import { useI18n } from '../../i18n/i18n.js';
import { STAGE_COLOR } from './stage-color.js';

/** The registry page. */
export const RegistryPage = () => {
  const { t, format } = useI18n();
  const registry = useApi('registry', () => api.registry());
  return (
    <Stack>
      <Title order={2}>{t('nav.registry')}</Title>
      <Text size="sm">{t('registry.intro')}</Text>
      <AsyncView resource={registry} isEmpty={(data) => data.items.length === 0} empty={t('registry.none')}>
        {(data) => (
          <Table striped highlightOnHover data-testid="registry-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('registry.name')}</Table.Th>
                <Table.Th>{t('registry.versions')}</Table.Th>
                <Table.Th>{t('registry.stages')}</Table.Th>
                <Table.Th>{t('registry.aliases')}</Table.Th>
                <Table.Th>{t('registry.updated')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.items.map((model) => (
                <Table.Tr key={model.name} data-testid="registry-row" data-name={model.name}>
                  <Table.Td>
                    <Anchor component={Link} to={`/registry/${encodeURIComponent(model.name)}`}>
                      {model.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{model.versions}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {Object.entries(model.stages).map(([stage, version]) => (
                        <Badge
                          key={stage}
                          size="sm"
                          variant="light"
                          color={STAGE_COLOR[stage as keyof typeof STAGE_COLOR]}
                        >
                          {stage} v{version}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {Object.entries(model.aliases).map(([alias, version]) => (
                        <Badge key={alias} size="sm" variant="outline">
                          @{alias} v{version}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>{format.dateTime(model.updated_at)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </AsyncView>
    </Stack>
  );
};
