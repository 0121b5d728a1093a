import { Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { MODES, type Mode } from './policy-model';

const INHERIT = 'inherit';

/** A field mode picker; with `inheritLabel`, the empty choice means "follow the broader rule". */
export function ModeSelect({
  label,
  value,
  onChange,
  inheritLabel,
  width = 170,
}: {
  width?: number;
  label: string;
  value: Mode | undefined;
  onChange: (m: Mode | undefined) => void;
  inheritLabel?: string;
}) {
  const { t } = useTranslation();
  const data = [
    ...(inheritLabel ? [{ value: INHERIT, label: inheritLabel }] : []),
    ...MODES.map((m) => ({ value: m, label: t(`rolesPage.modes.${m}`) })),
  ];
  return (
    <Select
      size="xs"
      w={width}
      aria-label={label}
      data={data}
      value={value ?? (inheritLabel ? INHERIT : 'none')}
      allowDeselect={false}
      comboboxProps={{ withinPortal: true }}
      onChange={(v) => onChange(v === null || v === INHERIT ? undefined : (v as Mode))}
    />
  );
}
