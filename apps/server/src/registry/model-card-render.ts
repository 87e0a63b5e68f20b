/**
 * A model card as Markdown and as one self-contained HTML page, from the same sections (see
 * model-card.ts). HTML goes through the reports' escaping and page shell, so a card shows offline,
 * loads nothing and carries no markup a run or a user wrote.
 */
import { esc, keyValues, page, table, verdict } from '../reports/html.js';

/** One block of a card section. */
export type CardBlock =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'list'; readonly items: readonly string[] }
  | { readonly kind: 'fields'; readonly fields: Readonly<Record<string, unknown>> }
  | {
      readonly kind: 'table';
      readonly caption?: string;
      readonly head: readonly string[];
      readonly rows: readonly (readonly string[])[];
    }
  | { readonly kind: 'code'; readonly text: string };

/** A titled section of a card. */
export interface CardSection {
  readonly title: string;
  readonly blocks: readonly CardBlock[];
}

/** A model card, ready to render. */
export interface ModelCard {
  readonly title: string;
  readonly subtitle: string;
  /** true: beats every naive baseline significantly; false: does not; null: not established. */
  readonly beatsChance: boolean | null;
  /** The plain statement whether the model beats chance. */
  readonly verdict: string;
  readonly sections: readonly CardSection[];
}

/** A field value as one line of text (nested values as compact JSON). */
export const fieldText = (value: unknown): string =>
  value === null || value === undefined
    ? '—'
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);

/** Markdown table cells: pipes escaped and line breaks flattened, so a value cannot break the table. */
const cell = (text: string): string =>
  text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

const mdTable = (head: readonly string[], rows: readonly (readonly string[])[]): string =>
  [
    `| ${head.map(cell).join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');

/** A fence longer than any backtick run inside, so code cannot close it early. */
const fence = (text: string): string =>
  '`'.repeat(Math.max(3, ...(text.match(/`+/g) ?? []).map((r) => r.length + 1)));

const mdBlock = (block: CardBlock): string => {
  switch (block.kind) {
    case 'text':
      return block.text;
    case 'list':
      return block.items.map((item) => `- ${item.replace(/\r?\n/g, ' ')}`).join('\n');
    case 'fields':
      return mdTable(
        ['field', 'value'],
        Object.entries(block.fields).map(([key, value]) => [key, fieldText(value)]),
      );
    case 'table':
      return `${block.caption === undefined ? '' : `**${block.caption}**\n\n`}${mdTable(block.head, block.rows)}`;
    case 'code':
      return `${fence(block.text)}json\n${block.text}\n${fence(block.text)}`;
  }
};

/** The card as Markdown. */
export const renderCardMarkdown = (card: ModelCard): string => {
  const head = card.beatsChance === true ? 'yes' : card.beatsChance === false ? 'no' : 'not established';
  return `${[
    `# ${card.title}`,
    `_${card.subtitle}_`,
    `> **Beats chance: ${head}.** ${card.verdict}`,
    ...card.sections.map((section) => `## ${section.title}\n\n${section.blocks.map(mdBlock).join('\n\n')}`),
  ].join('\n\n')}\n`;
};

const htmlBlock = (block: CardBlock): string => {
  switch (block.kind) {
    case 'text':
      return `<p>${esc(block.text)}</p>`;
    case 'list':
      return `<ul>${block.items.map((item) => `<li>${esc(item)}</li>`).join('')}</ul>`;
    case 'fields':
      return keyValues(block.fields);
    case 'table':
      return `${block.caption === undefined ? '' : `<h3>${esc(block.caption)}</h3>`}${table(
        block.head,
        block.rows.map((row) => row.map(esc)),
      )}`;
    case 'code':
      return `<pre>${esc(block.text)}</pre>`;
  }
};

/** The card as one self-contained HTML page. */
export const renderCardHtml = (card: ModelCard): string =>
  page({
    title: card.title,
    subtitle: card.subtitle,
    body: [
      verdict(card.beatsChance, card.verdict),
      ...card.sections.map(
        (section) =>
          `<section><h2>${esc(section.title)}</h2>${section.blocks.map(htmlBlock).join('')}</section>`,
      ),
    ].join('\n'),
  });
