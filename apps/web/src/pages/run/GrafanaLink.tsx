/** The run page's "Open in Grafana" link, shown when the server is told where Grafana is (NFLAB_GRAFANA_URL). */
import { Anchor } from '@mantine/core';
import { useI18n } from '../../i18n/i18n.js';

/** Opens the training dashboard filtered to the run in a new tab; nothing without a URL. */
export const GrafanaLink = ({ url }: { readonly url: string | null | undefined }) => {
  const { t } = useI18n();
  if (url === null || url === undefined) return null;
  return (
    <Anchor href={url} target="_blank" rel="noopener noreferrer" size="sm" data-testid="run-grafana-link">
      {t('run.openInGrafana')}
    </Anchor>
  );
};
