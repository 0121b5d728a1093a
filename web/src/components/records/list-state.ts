import { useState } from 'react';
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

const isRecordOfStrings = (v: unknown): v is Record<string, string> =>
  typeof v === 'object' && v !== null && Object.values(v).every((x) => typeof x === 'string');

const isListState = (v: unknown): v is ListState => {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Partial<ListState>;
  return (
    typeof s.q === 'string' && typeof s.sort === 'string' && isStringArray(s.columns) && isRecordOfStrings(s.filters)
  );
};

const isViews = (v: unknown): v is SavedView[] =>
  Array.isArray(v) &&
  v.every(
    (x) =>
      typeof x === 'object' &&
      x !== null &&
      typeof (x as SavedView).name === 'string' &&
      isListState((x as SavedView).state),
  );

export function useListState(storageKey: string, initial: ListState) {
  const [state, setState] = useState<ListState>(() => ({
    ...initial,
    columns: readPref(`${storageKey}.columns`, initial.columns, isStringArray),
  }));
  const [views, setViews] = useState<SavedView[]>(() => readPref(`${storageKey}.views`, [], isViews));

  const update = (patch: Partial<ListState>) =>
    setState((s) => {
      const next = { ...s, ...patch };
      if (patch.columns) writePref(`${storageKey}.columns`, patch.columns);
      return next;
    });
  const saveView = (name: string) => {
    const next = [...views.filter((v) => v.name !== name), { name, state }];
    setViews(next);
    writePref(`${storageKey}.views`, next);
  };
  const deleteView = (name: string) => {
    const next = views.filter((v) => v.name !== name);
    setViews(next);
    writePref(`${storageKey}.views`, next);
  };
  return { state, update, views, saveView, deleteView, reset: () => setState(initial) };
}
