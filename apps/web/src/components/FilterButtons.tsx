/** The Apply and Clear buttons every filter form ends with. */
import { Button } from '@mantine/core';
import { useI18n } from '../i18n/i18n.js';

/** Apply submits the surrounding form; Clear empties the draft and applies no filter at once. */
export const FilterButtons = ({
  onClear,
  applyTestId,
}: {
  readonly onClear: () => void;
  readonly applyTestId: string;
}) => {
  const { t } = useI18n();
  return (
    <>
      <Button type="submit" size="xs" data-testid={applyTestId}>
        {t('history.apply')}
      </Button>
      <Button size="xs" variant="subtle" ml="xs" onClick={onClear}>
        {t('history.clear')}
      </Button>
    </>
  );
};
