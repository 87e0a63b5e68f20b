/**
 * A run's tags (experiment type, phase, a note …): shown to everyone; editors add, change and
 * remove them. The same tags MLflow clients read and write with set-tag/delete-tag.
 */
import { useState, type FormEvent } from 'react';
import { ActionIcon, Badge, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { isReservedTagKey, RUN_TAG_LIMITS, type UpdateRunTagsRequest } from '@nflab/contracts';
import { api } from '../../api/endpoints.js';
import { hasRole, useUser } from '../../auth/auth.js';
import { ErrorState } from '../../components/AsyncView.js';
import { useI18n } from '../../i18n/i18n.js';

/** The tag list and, for editors, the form that edits it. */
export const RunTags = ({
  runId,
  tags: initial,
}: {
  readonly runId: string;
  readonly tags: Readonly<Record<string, string>>;
}) => {
  const { t } = useI18n();
  const user = useUser();
  const editable = hasRole(user, 'editor');
  const [tags, setTags] = useState(initial);
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const change = async (body: Partial<UpdateRunTagsRequest>): Promise<boolean> => {
    setBusy(true);
    setError(undefined);
    try {
      setTags((await api.updateRunTags(runId, body)).tags);
      return true;
    } catch (caught) {
      setError(caught);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await change({ set: { [key.trim()]: value } })) {
      setKey('');
      setValue('');
    }
  };

  const entries = Object.entries(tags);
  return (
    <Stack gap={4} data-testid="run-tags">
      <Group gap={6}>
        <Text size="xs" c="dimmed">
          {t('run.tags')}
        </Text>
        {entries.length === 0 && (
          <Text size="xs" c="dimmed">
            —
          </Text>
        )}
        {entries.map(([name, text]) => (
          <Badge
            key={name}
            variant="light"
            tt="none"
            title={text}
            data-testid={`run-tag-${name}`}
            rightSection={
              editable && !isReservedTagKey(name) ? (
                <ActionIcon
                  size="xs"
                  variant="transparent"
                  aria-label={t('run.tags.remove', { key: name })}
                  disabled={busy}
                  onClick={() => void change({ remove: [name] })}
                  data-testid={`run-tag-remove-${name}`}
                >
                  ×
                </ActionIcon>
              ) : undefined
            }
          >
            {text === '' ? name : `${name}: ${text.length > 60 ? `${text.slice(0, 60)}…` : text}`}
          </Badge>
        ))}
      </Group>
      {editable && (
        <form onSubmit={(event) => void submit(event)} data-testid="run-tag-form">
          <Group gap="xs" align="flex-end">
            <TextInput
              size="xs"
              label={t('run.tags.key')}
              value={key}
              maxLength={RUN_TAG_LIMITS.keyLength}
              onChange={(event) => setKey(event.currentTarget.value)}
              data-testid="run-tag-key"
            />
            <TextInput
              size="xs"
              label={t('run.tags.value')}
              value={value}
              maxLength={RUN_TAG_LIMITS.valueLength}
              onChange={(event) => setValue(event.currentTarget.value)}
              data-testid="run-tag-value"
            />
            <Button
              size="xs"
              type="submit"
              loading={busy}
              disabled={key.trim() === ''}
              data-testid="run-tag-save"
            >
              {t('run.tags.save')}
            </Button>
          </Group>
        </form>
      )}
      {error !== undefined && <ErrorState error={error} />}
    </Stack>
  );
};
