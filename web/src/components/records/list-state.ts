import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorText } from '../ErrorAlert';
import { notify } from '../../lib/notify';
import { updatePreferences, usePreferences, type SavedViewPreference } from '../../lib/preferences';
import { isStringArray, readPref, writePref } from '../../lib/storage';

/** What a list shows: search, filters, sort and columns. A saved view is a named copy of it. */
export interface ListState {
  q: string;
  filters: Record<string, string>;
  sort: string;
  columns: string[];
}

export interface SavedView {
  name: string;
  state: ListState;
}

const toView = (v: SavedViewPreference): SavedView => ({
  name: v.name,
  state: { q: v.q ?? '', filters: v.filters, sort: v.sort, columns: v.columns },
});

const toPreference = (v: SavedView, keep: (key: string) => boolean): SavedViewPreference => ({
  name: v.name,
  columns: v.state.columns,
  // Empty filter inputs are not part of a view, nor values on personal or card data (never stored in clear).
  filters: Object.fromEntries(Object.entries(v.state.filters).filter(([k, x]) => x !== '' && keep(k))),
  sort: v.state.sort,
  ...(v.state.q ? { q: v.state.q } : {}),
});

/**
 * A list's state. Saved views live in the person's preferences on the server (they follow them to any browser);
 * the visible columns are remembered in this browser.
 */
export function useListState(storageKey: string, initial: ListState, protectedData: (key: string) => boolean) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const errorText = useErrorText();
  const [state, setState] = useState<ListState>(() => ({
    ...initial,
    columns: readPref(`${storageKey}.columns`, initial.columns, isStringArray),
  }));
  const prefs = usePreferences();
  const views = (prefs.data?.savedViews?.[storageKey] ?? []).map(toView);

  const update = (patch: Partial<ListState>) =>
    setState((s) => {
      const next = { ...s, ...patch };
      if (patch.columns) writePref(`${storageKey}.columns`, patch.columns);
      return next;
    });
  const saveViews = (change: (list: SavedViewPreference[]) => SavedViewPreference[], done: string) =>
    updatePreferences(qc, (p) => ({
      ...p,
      savedViews: { ...(p.savedViews ?? {}), [storageKey]: change(p.savedViews?.[storageKey] ?? []) },
    })).then(
      () => notify({ color: 'green', message: done }),
      (e: unknown) => {
        const text = errorText(e);
        notify({ color: 'red', title: text.title, message: text.detail });
      },
    );
  const saveView = (name: string) => {
    const left = Object.keys(state.filters).filter((k) => state.filters[k] !== '' && protectedData(k));
    void saveViews(
      (list) => [...list.filter((v) => v.name !== name), toPreference({ name, state }, (k) => !protectedData(k))],
      left.length > 0
        ? t('list.viewSavedWithout', {
            name,
            fields: left.map((k) => t(`fields.${storageKey}.${k}`, { defaultValue: k })).join(', '),
          })
        : t('list.viewSaved', { name }),
    );
  };
  const deleteView = (name: string) =>
    void saveViews((list) => list.filter((v) => v.name !== name), t('list.viewDeleted', { name }));
  return { state, update, views, saveView, deleteView, reset: () => setState(initial) };
}
