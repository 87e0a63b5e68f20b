/** Advanced mode: the full sweep spec as JSON, validated live by the server's schema. */
import { useEffect, useState } from 'react';
import { Alert, Button, Group, List, Stack, Text, Textarea } from '@mantine/core';
import { ApiError } from '../../api/client.js';
import { api } from '../../api/endpoints.js';
import type { InputIssue } from '../../api/types.js';
import { errorText } from '../../components/AsyncView.js';
import { useI18n } from '../../i18n/i18n.js';
import { buildSweepSpec, parseSpecText } from './wizard-state.js';
import type { StepProps } from './step-props.js';

type Validation =
  | { readonly state: 'idle' | 'checking' | 'valid' }
  | { readonly state: 'syntax'; readonly message: string }
  | { readonly state: 'invalid'; readonly issues: readonly InputIssue[]; readonly message: string }
  | { readonly state: 'failed'; readonly message: string };

/** How long typing must pause before the spec is sent for validation. */
const VALIDATE_DELAY_MS = 400;

/** The JSON editor with issues listed by path. */
export const SpecEditor = ({ state, update }: StepProps) => {
  const { t } = useI18n();
  const [validation, setValidation] = useState<Validation>({ state: 'idle' });
  const text = state.specText ?? '';

  useEffect(() => {
    const source = parseSpecText(text);
    if (!source.ok) {
      setValidation({ state: 'syntax', message: source.error });
      return;
    }
    setValidation({ state: 'checking' });
    let current = true;
    const timer = setTimeout(() => {
      api.validateSpec('sweep', source.spec).then(
        () => current && setValidation({ state: 'valid' }),
        (error: unknown) => {
          if (!current) return;
          if (error instanceof ApiError && error.status === 400) {
            setValidation({ state: 'invalid', issues: error.issues, message: error.message });
          } else {
            setValidation({ state: 'failed', message: errorText(error) });
          }
        },
      );
    }, VALIDATE_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [text]);

  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {t('wizard.advancedHelp')}
        </Text>
        <Button
          size="xs"
          variant="default"
          onClick={() =>
            update({ specText: JSON.stringify(buildSweepSpec({ ...state, mode: 'standard' }), null, 2) })
          }
        >
          {t('wizard.fromForm')}
        </Button>
      </Group>
      <Textarea
        aria-label={t('wizard.specEditor')}
        value={text}
        onChange={(event) => update({ specText: event.currentTarget.value })}
        autosize
        minRows={16}
        maxRows={28}
        spellCheck={false}
        styles={{ input: { fontFamily: 'monospace', fontSize: 13 } }}
        data-testid="spec-editor"
      />
      {validation.state === 'valid' && (
        <Alert color="green" data-testid="spec-valid">
          {t('wizard.specValid')}
        </Alert>
      )}
      {validation.state === 'checking' && (
        <Text size="sm" c="dimmed">
          {t('wizard.specChecking')}
        </Text>
      )}
      {validation.state === 'syntax' && (
        <Alert color="red" title={t('wizard.specSyntax')} data-testid="spec-issues">
          {validation.message}
        </Alert>
      )}
      {validation.state === 'invalid' && (
        <Alert color="red" title={validation.message} data-testid="spec-issues">
          <List size="sm">
            {validation.issues.map((issue, index) => (
              <List.Item key={index}>
                <code>{issue.path === '' ? '(root)' : issue.path}</code>: {issue.message}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      {validation.state === 'failed' && (
        <Alert color="orange" data-testid="spec-issues">
          {validation.message}
        </Alert>
      )}
    </Stack>
  );
};
