import { describe, expect, it, vi } from 'vitest';
import { contactDefinition } from '../../src/crm/contacts/contact.definition.js';
import { shapeRecord } from '../../src/crm/records/record-view.js';
import type { Row } from '../../src/crm/records/record.repository.js';
import { EffectiveAccess, EMPTY_POLICY, systemActor, type Actor } from '../../src/security/access/index.js';
import type { Classification, FieldDefinition, FieldType } from '../../src/security/classification/index.js';

/**
 * What one record shows, from the side of a viewer who may see some personal values in clear and others only
 * masked: a masked value never leaks through the envelope that was opened for the clear ones, a value that is not
 * there is not conjured from a stale mask, and nothing the registry does not list comes out of an envelope.
 */
const field = (key: string, type: FieldType, classification: Classification, builtin: boolean): FieldDefinition => ({
  id: `f-${key}`,
  object: 'contacts',
  key,
  label: key,
  type,
  classification,
  builtin,
  searchable: false,
  required: false,
  options: [],
  position: 0,
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

const FIELDS: readonly FieldDefinition[] = [
  field('firstName', 'text', 'public', true),
  field('email', 'email', 'restricted', true),
  field('phone', 'phone', 'restricted', true),
  field('shown', 'text', 'restricted', false),
  field('hidden', 'text', 'restricted', false),
];

/** Restricted values in clear, except the email and the custom field `hidden`, which this viewer sees masked. */
const viewer: Actor = {
  ...systemActor(),
  kind: 'user',
  userId: 'u-1',
  roles: [],
  access: new EffectiveAccess(
    [
      {
        ...EMPTY_POLICY,
        objects: { contacts: { ops: ['read'], scope: 'own' } },
        classifications: { '*': { public: 'read', restricted: 'read' } },
        fields: { contacts: { email: 'masked', 'custom.hidden': 'masked' } },
      },
    ],
    null,
    ['u-1'],
  ),
};

const row = (over: Row): Row => ({
  id: 'c-1',
  owner_id: 'u-1',
  first_name: 'Roya',
  email: null,
  phone: null,
  sealed: 'envelope',
  sealed_kid: 'k-1',
  custom: '{}',
  masks: '{}',
  tags: '[]',
  version: 1,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
  deleted_at: null,
  ...over,
});

const shape = (r: Row, opened: Record<string, unknown>) =>
  shapeRecord(contactDefinition, r, FIELDS, viewer, () => ({ ...opened }));

describe('a record shown to a viewer with clear and masked personal fields', () => {
  it('shows the clear values from the envelope and only the write-time masks of the masked ones', () => {
    const rec = shape(row({ masks: JSON.stringify({ email: 'r***@example.com', 'custom.hidden': 'S******' }) }), {
      email: 'roya@example.com',
      phone: '+989121234567',
      'custom.shown': 'visible note',
      'custom.hidden': 'Secret note',
    });
    expect(rec).toMatchObject({
      firstName: 'Roya',
      email: 'r***@example.com',
      phone: '+989121234567',
      custom: { shown: 'visible note', hidden: 'S******' },
    });
    const text = JSON.stringify(rec);
    expect(text).not.toContain('roya@example.com');
    expect(text).not.toContain('Secret note');
  });

  it('shows nothing for a masked field the opened envelope does not hold, whatever a stale mask says', () => {
    const masks = vi.fn(() => JSON.stringify({ email: 'x***@stale.example', 'custom.hidden': 'stale' }));
    const r = row({});
    Object.defineProperty(r, 'masks', { get: masks, enumerable: true });
    const rec = shape(r, { 'custom.shown': 'visible note' });
    expect(rec.email).toBeNull();
    expect(rec.custom).toEqual({ shown: 'visible note' });
    // Nothing to mask: the record's masks were not even read.
    expect(masks).not.toHaveBeenCalled();
  });

  it('masks a value still in the plain column (a reclassification being swept) rather than showing it', () => {
    const rec = shape(row({ custom: JSON.stringify({ hidden: 'Plain secret', shown: 'plain visible' }) }), {});
    expect(rec.custom).toMatchObject({ shown: 'plain visible' });
    const hidden = (rec.custom as Record<string, unknown>).hidden;
    expect(typeof hidden).toBe('string');
    expect(hidden).not.toContain('Plain secret');
  });

  it('prefers the envelope to an older plain copy of the same field', () => {
    const rec = shape(row({ custom: JSON.stringify({ shown: 'old plain' }) }), { 'custom.shown': 'sealed value' });
    expect(rec.custom).toEqual({ shown: 'sealed value' });
  });

  it('shows no envelope entry the registry does not list, and lets none of them reach a prototype', () => {
    const opened = JSON.parse(
      '{"custom.shown":"visible","custom.unlisted":"not a field","custom.__proto__":{"polluted":true},"__proto__":{"polluted":true}}',
    ) as Record<string, unknown>;
    const rec = shapeRecord(contactDefinition, row({}), FIELDS, viewer, () => opened);
    expect(rec.custom).toEqual({ shown: 'visible' });
    expect(Object.getPrototypeOf(rec.custom)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.stringify(rec)).not.toContain('not a field');
  });

  it('uses the write-time masks when nothing the viewer sees needs the envelope opened', () => {
    const masked: Actor = {
      ...viewer,
      access: new EffectiveAccess(
        [
          {
            ...EMPTY_POLICY,
            objects: { contacts: { ops: ['read'], scope: 'own' } },
            classifications: { '*': { public: 'read', restricted: 'masked' } },
          },
        ],
        null,
        ['u-1'],
      ),
    };
    const open = vi.fn(() => ({ email: 'roya@example.com' }));
    const rec = shapeRecord(
      contactDefinition,
      row({ masks: JSON.stringify({ email: 'r***@example.com', 'custom.shown': 'v******' }) }),
      FIELDS,
      masked,
      open,
    );
    expect(open).not.toHaveBeenCalled();
    expect(rec).toMatchObject({ email: 'r***@example.com', custom: { shown: 'v******' } });
  });
});
