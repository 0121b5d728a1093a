import type { ObjectDefinition } from '../records/object-definition.js';

export const ACTIVITY_TYPES = ['note', 'call', 'meeting', 'email', 'task'] as const;

export const activityDefinition: ObjectDefinition = {
  name: 'activities',
  table: 'activities',
  singular: 'activity',
  label: 'Activities',
  defaultSort: '-createdAt',
  fields: [
    {
      key: 'type',
      column: 'type',
      type: 'enum',
      enumValues: ACTIVITY_TYPES,
      classification: 'internal',
      label: 'Type',
      required: true,
      filterable: true,
      notNull: true,
    },
    {
      key: 'subject',
      column: 'subject',
      type: 'text',
      classification: 'internal',
      label: 'Subject',
      required: true,
      maxLength: 500,
      searchable: true,
      sortable: true,
      notNull: true,
    },
    {
      key: 'body',
      column: 'body',
      type: 'longtext',
      classification: 'internal',
      label: 'Body',
      maxLength: 100_000,
      searchable: true,
    },
    { key: 'dueAt', column: 'due_at', type: 'datetime', classification: 'internal', label: 'Due', sortable: true },
    {
      key: 'completedAt',
      column: 'completed_at',
      type: 'datetime',
      classification: 'internal',
      label: 'Completed',
      sortable: true,
    },
    { key: 'related', column: 'related', type: 'related', classification: 'internal', label: 'Related records' },
  ],
};
