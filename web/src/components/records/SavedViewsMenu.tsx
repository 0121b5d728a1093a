import { ActionIcon, Button, Group, Menu, Modal, Stack, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconBookmark, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SavedView } from './list-state';

export function SavedViewsMenu({
  views,
  onApply,
  onSave,
  onDelete,
}: {
  views: SavedView[];
  onApply: (v: SavedView) => void;
  onSave: (name: string) => void;
  onDelete: (name: string) => void;
}) {
  const { t } = useTranslation();
  const [opened, { open, close }] = useDisclosure(false);
  const [name, setName] = useState('');
  return (
    <>
      <Menu position="bottom-end" width={240}>
        <Menu.Target>
          <Button variant="default" leftSection={<IconBookmark size={16} />}>
            {t('list.views')}
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          {views.length === 0 ? <Menu.Label>{t('list.noViews')}</Menu.Label> : null}
          {views.map((v) => (
            <Group key={v.name} gap={0} wrap="nowrap">
              <Menu.Item onClick={() => onApply(v)} style={{ flex: 1 }}>
                {v.name}
              </Menu.Item>
              <ActionIcon
                variant="subtle"
                color="red"
                size="sm"
                aria-label={t('list.deleteView', { name: v.name })}
                onClick={() => onDelete(v.name)}
              >
                <IconTrash size={14} />
              </ActionIcon>
            </Group>
          ))}
          <Menu.Divider />
          <Menu.Item onClick={open}>{t('list.saveView')}</Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <Modal opened={opened} onClose={close} title={t('list.saveView')}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (name.trim()) {
              onSave(name.trim());
              setName('');
              close();
            }
          }}
        >
          <Stack>
            <TextInput
              label={t('list.viewName')}
              maxLength={80}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              data-autofocus
              required
            />
            <Button type="submit" disabled={!name.trim()}>
              {t('common.save')}
            </Button>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
