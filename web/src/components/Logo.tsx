import { Group, Text } from '@mantine/core';
import favicon from '../assets/favicon.svg';

export function Logo() {
  return (
    <Group gap={8} wrap="nowrap">
      <img src={favicon} alt="" width={28} height={28} />
      <Text fw={700} fz="lg">
        Separ <span lang="fa">سپر</span>
      </Text>
    </Group>
  );
}
