/**
 * The run page's "Open in Grafana" link, rendered to HTML with the app's providers: the link opens
 * the URL the server gave in a new tab, in the chosen language, and nothing renders without one.
 */
import { createElement, type ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { MantineProvider } from '@mantine/core';
import { afterEach, describe, expect, it } from 'vitest';
import { I18nProvider } from '../../src/i18n/i18n.js';
import { GrafanaLink } from '../../src/pages/run/GrafanaLink.js';

const URL_OF_RUN =
  'https://grafana.example.org/d/nflab-training/nflab-training?var-run_id=5b1f0a52&from=1&to=now';

/** The markup of `element` inside the providers the app wraps every page in, in `language`. */
const render = (element: ReactNode, language: 'en' | 'ja'): string => {
  // The language choice is read from localStorage, which Node has not: a one-entry stand-in.
  Object.assign(globalThis, {
    localStorage: { getItem: (key: string) => (key === 'nflab.language' ? JSON.stringify(language) : null) },
  });
  return renderToStaticMarkup(
    createElement(MantineProvider, null, createElement(I18nProvider, null, element)),
  );
};

describe('GrafanaLink', () => {
  afterEach(() => {
    Reflect.deleteProperty(globalThis, 'localStorage');
  });

  it('links the dashboard URL in a new tab, labelled in English and Japanese', () => {
    const en = render(createElement(GrafanaLink, { url: URL_OF_RUN }), 'en');
    expect(en).toContain(`href="${URL_OF_RUN.replaceAll('&', '&amp;')}"`);
    expect(en).toContain('target="_blank"');
    expect(en).toContain('rel="noopener noreferrer"');
    expect(en).toContain('data-testid="run-grafana-link"');
    expect(en).toContain('>Open in Grafana</a>');
    expect(render(createElement(GrafanaLink, { url: URL_OF_RUN }), 'ja')).toContain('>Grafana で開く</a>');
  });

  it('renders nothing when the server gives no URL (NFLAB_GRAFANA_URL unset)', () => {
    expect(render(createElement(GrafanaLink, { url: null }), 'en')).not.toContain('<a');
    expect(render(createElement(GrafanaLink, { url: undefined }), 'en')).not.toContain('<a');
  });
});
