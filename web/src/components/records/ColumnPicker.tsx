import { Button, Checkbox, Popover, Stack, Text } from '@mantine/core';
import { IconColumns } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

export function ColumnPicker({
  columns,
  visible,
  onChange,
}: {
  columns: { key: string; label: string }[];
  visible: string[];
  onChange: (keys: string[]) => void;
}) {
  const { t } = useTranslation();
  return (
    <Popover position="bottom-end" shadow="md" width={240}>
      <Popover.Target>
        <Button variant="default" leftSection={<IconColumns size={16} />}>
          {t('list.columns')}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Text size="xs" fw={700} c="dimmed" mb="xs">
          {t('list.chooseColumns')}
        </Text>
        <Stack gap={6}>
          {columns.map((c) => (
            <Checkbox
              key={c.key}
              label={c.label}
              checked={visible.includes(c.key)}
              onChange={(e) =>
                onChange(
                  e.currentTarget.checked
                    ? columns.map((x) => x.key).filter((k) => k === c.key || visible.includes(k))
                    : visible.filter((k) => k !== c.key),
                )
              }
            />
          ))}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
