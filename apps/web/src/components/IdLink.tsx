import { Anchor } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';

/**
 * A link to a run's or sweep's page labelled with the first 8 characters of its id (or `children`);
 * a dash when there is no id.
 */
export const IdLink = ({
  kind,
  id,
  children,
}: {
  readonly kind: 'runs' | 'sweeps';
  readonly id: string | null;
  readonly children?: ReactNode;
}) =>
  id === null ? (
    '—'
  ) : (
    <Anchor component={Link} to={`/${kind}/${id}`}>
      {children ?? id.slice(0, 8)}
    </Anchor>
  );
