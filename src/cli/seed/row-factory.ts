import { normalizeTags, searchText } from '../../crm/records/record-mapper.js';
import type { ObjectDefinition } from '../../crm/records/object-definition.js';
import { ACTIVITY_TYPES, activityDefinition } from '../../crm/activities/activity.definition.js';
import { COMPANY_SIZES, companyDefinition } from '../../crm/companies/company.definition.js';
import { contactDefinition } from '../../crm/contacts/contact.definition.js';
import { dealDefinition } from '../../crm/deals/deal.definition.js';
import { emailLookupKey } from '../../platform/formats/index.js';
import type { CrmObjectName, FieldDefinition } from '../../security/classification/index.js';
import type { Lang, LocalePool, Named, NamePools } from './name-pools.js';
import type { Prng } from './prng.js';
import { SEED_COLUMNS, type SeedBatch, type SeedEnvironment, type SeedValue } from './seed-model.js';
import { TAG_VOCABULARY, TEMPLATES, fill, type ActivityType } from './text-templates.js';
import * as ids from './identity-values.js';
import { customValue } from './custom-values.js';

/** The definitions themselves (OBJECT_DEFINITIONS would pull the whole CRM module into the worker). */
const DEFINITIONS: Readonly<Record<CrmObjectName, ObjectDefinition>> = {
  companies: companyDefinition,
  contacts: contactDefinition,
  deals: dealDefinition,
  activities: activityDefinition,
};

const DAY = 86_400_000;
const NO_CUSTOM: Record<string, unknown> = Object.freeze({});
const EN_DOMAINS = ['example.com', 'example.net', 'example.org', 'mail.example.com'];
const FA_DOMAINS = ['example.com', 'example.net', 'mail.example.org'];
const TAGS = TAG_VOCABULARY;

/** The currencies deals use, with a plausible amount range in minor units (IRR has none: whole rials). */
const CURRENCIES: Readonly<Record<'IRR' | 'EUR' | 'CAD' | 'USD', [number, number]>> = {
  IRR: [50_000_000, 90_000_000_000],
  EUR: [50_000, 25_000_000],
  CAD: [50_000, 30_000_000],
  USD: [50_000, 30_000_000],
};

interface CompanyRef {
  id: string;
  name: string;
  domain: string;
}

/** What activities and deals need to know about a contact created earlier. */
interface ContactRef {
  id: string;
  name: string;
  lang: Lang;
  company: number;
}

type SeedRow = Record<string, SeedValue>;

const iso = (ms: number): string => new Date(ms).toISOString();
const EMPTY_JSON_ARRAY = '[]';
const EMPTY_JSON_OBJECT = '{}';

/**
 * Builds records as RecordService.create has them before storage: validated column values (E.164 phones,
 * email_lookup, JSON refs), search_text from the current field registry (which leaves restricted and pci fields
 * out), tags JSON plus record_tags rows, deal_contacts, related JSON plus activity_links. record-sealer.ts then
 * applies the storage step on the main thread. References only point at records created earlier in the timeline,
 * so the data reads like a history.
 */
export class RowFactory {
  private readonly companies: CompanyRef[] = [];
  private readonly contacts: ContactRef[] = [];
  private readonly deals: string[] = [];
  private readonly required: Readonly<Record<CrmObjectName, readonly FieldDefinition[]>>;
  /** Global ordinals (over the whole seed) of the last contact and company made: unique emails, domains, IDs. */
  private contactOrdinal = 0;
  private companyOrdinal = 0;

  constructor(
    private readonly r: Prng,
    private readonly pools: NamePools,
    private readonly env: SeedEnvironment,
    private readonly nowMs: number,
  ) {
    const req = (o: CrmObjectName): FieldDefinition[] => env.fields[o].filter((f) => !f.builtin && f.required);
    this.required = {
      companies: req('companies'),
      contacts: req('contacts'),
      deals: req('deals'),
      activities: req('activities'),
    };
  }

  /** Slices may be made by several workers: each starts numbering where its slice starts in the whole seed. */
  beginSlice(contactsBefore: number, companiesBefore: number): void {
    this.contactOrdinal = contactsBefore;
    this.companyOrdinal = companiesBefore;
  }

  private pool(): LocalePool {
    return this.r.next() < 0.5 ? this.pools.fa : this.pools.en;
  }

  private owner(): string {
    return this.r.pick(this.env.ownerIds);
  }

  private tags(): string[] {
    const n = this.r.next();
    if (n < 0.55) return [];
    const out = [this.r.pick(TAGS)];
    if (n > 0.85) out.push(this.r.pick(TAGS));
    if (n > 0.97) out.push(this.r.pick(TAGS));
    return normalizeTags(out);
  }

  private custom(object: CrmObjectName): Record<string, unknown> {
    const fields = this.required[object];
    if (fields.length === 0) return NO_CUSTOM;
    const out: Record<string, unknown> = {};
    for (const f of fields) out[f.key] = customValue(f, this.r);
    return out;
  }

  /**
   * Completes `row` (the object's own columns) with the common columns and its search document, as
   * RecordService.create does, and appends it and its tags to the batch.
   */
  private emit(object: CrmObjectName, id: string, ms: number, row: SeedRow, batch: SeedBatch): void {
    const owner = this.owner();
    const tags = this.tags();
    const custom = this.custom(object);
    const at = iso(ms);
    row.id = id;
    row.owner_id = owner;
    row.tags = tags.length === 0 ? EMPTY_JSON_ARRAY : JSON.stringify(tags);
    row.custom = custom === NO_CUSTOM ? EMPTY_JSON_OBJECT : JSON.stringify(custom);
    row.search_text = searchText(DEFINITIONS[object], row, custom, tags, this.env.fields[object]);
    row.version = 1;
    row.created_at = at;
    row.updated_at = at;
    row.created_by = owner;
    row.updated_by = owner;
    const out = batch[object];
    for (const column of SEED_COLUMNS[object]) out.push(row[column] ?? null);
    for (const t of tags) batch.record_tags.push(object, id, t);
  }

  private address(p: LocalePool): string {
    const r = this.r;
    return p.lang === 'fa'
      ? `${r.pick(p.streets)}، پلاک ${r.range(1, 250)}، ${r.pick(p.cities)}، ${r.pick(p.states)}، کد پستی ${r.digits(10)}`
      : `${r.range(1, 9999)} ${r.pick(p.streets)}, ${r.pick(p.cities)}, ${r.pick(p.states)} ${r.digits(5)}`;
  }

  company(id: string, ms: number, batch: SeedBatch): void {
    const p = this.pool();
    const r = this.r;
    const name: Named = r.pick(p.companies);
    const n = this.env.counterBase + ++this.companyOrdinal;
    const domain = `${name.slug.slice(0, 40).replace(/-$/, '')}-${n.toString(36)}.example`;
    const columns: SeedRow = {
      name: name.text,
      domain,
      industry: r.pick(p.industries),
      size: r.pick(COMPANY_SIZES),
      tax_id: p.lang === 'fa' ? r.digits(11) : `DE${r.digits(9)}`,
      iban: r.chance(0.6) ? ids.iban(r, p.lang === 'fa' ? 'IR' : 'DE') : null,
      address: this.address(p),
    };
    this.emit('companies', id, ms, columns, batch);
    this.companies.push({ id, name: name.text, domain });
  }

  /** A company created before now (the newest one created so far is `companies.length - 1`), or -1. */
  private earlierCompany(): number {
    return this.companies.length === 0 ? -1 : this.r.int(this.companies.length);
  }

  contact(id: string, ms: number, batch: SeedBatch): void {
    const p = this.pool();
    const r = this.r;
    const female = r.chance(0.5);
    const first = r.pick(female ? p.femaleFirst : p.maleFirst);
    const last = r.pick(p.last);
    const n = this.env.counterBase + ++this.contactOrdinal;
    const company = r.chance(0.6) ? this.earlierCompany() : -1;
    const companyRef = company >= 0 ? this.companies[company] : undefined;
    const local = `${first.slug.replace(/-/g, '')}.${last.slug.replace(/-/g, '')}.${n.toString(36)}`.slice(0, 64);
    const email = `${local}@${companyRef && r.chance(0.7) ? companyRef.domain : r.pick(p.lang === 'fa' ? FA_DOMAINS : EN_DOMAINS)}`;
    const phoneKind = r.next();
    const phone =
      p.lang === 'fa' || phoneKind < 0.1
        ? ids.iranianMobile(r)
        : phoneKind < 0.55
          ? ids.germanMobile(r)
          : ids.canadianPhone(r);
    const columns: SeedRow = {
      first_name: first.text,
      last_name: last.text,
      email,
      email_lookup: emailLookupKey(email),
      phone: r.chance(0.9) ? phone : null,
      title: r.chance(0.85) ? r.pick(p.jobTitles) : null,
      company_id: companyRef ? companyRef.id : null,
      national_id: p.lang === 'fa' && r.chance(0.8) ? ids.iranNationalId(n, this.env.counterBase % 1000) : null,
      birth_date: r.chance(0.7) ? ids.birthDate(r) : null,
      address: r.chance(0.75) ? this.address(p) : null,
      payment_card: r.chance(0.05) ? ids.cardNumber(r) : null,
    };
    this.emit('contacts', id, ms, columns, batch);
    this.contacts.push({ id, name: `${first.text} ${last.text}`, lang: p.lang, company });
  }

  private fillFor(
    lang: Lang,
    contact: ContactRef | undefined,
    company: CompanyRef | undefined,
  ): Parameters<typeof fill>[1] {
    const p = this.pools[lang];
    const r = this.r;
    return {
      name: contact?.name ?? `${r.pick(p.femaleFirst).text} ${r.pick(p.last).text}`,
      company: company?.name ?? r.pick(p.companies).text,
      product: r.pick(p.products),
      city: r.pick(p.cities),
      day: r.pick(TEMPLATES[lang].days),
    };
  }

  deal(id: string, ms: number, batch: SeedBatch): void {
    const r = this.r;
    const contactIds: string[] = [];
    const primary = this.contacts.length > 0 ? this.contacts[r.int(this.contacts.length)] : undefined;
    if (primary) {
      contactIds.push(primary.id);
      const extra = r.next() < 0.25 ? r.range(1, 2) : 0;
      for (let i = 0; i < extra; i++) {
        const c = this.contacts[r.int(this.contacts.length)];
        if (c && !contactIds.includes(c.id)) contactIds.push(c.id);
      }
    }
    const lang: Lang = primary?.lang ?? (r.chance(0.5) ? 'fa' : 'en');
    const companyIndex = primary && primary.company >= 0 ? primary.company : r.chance(0.5) ? this.earlierCompany() : -1;
    const company = companyIndex >= 0 ? this.companies[companyIndex] : undefined;
    const currency = lang === 'fa' ? (r.chance(0.85) ? 'IRR' : 'EUR') : r.pick(['EUR', 'CAD', 'USD', 'EUR'] as const);
    const [lo, hi] = CURRENCIES[currency];
    const stage = r.pick(this.env.stages);
    const closed = stage.kind !== 'open';
    const closeMs = closed
      ? ms + r.range(1, Math.max(1, Math.min(120, Math.floor((this.nowMs - ms) / DAY)))) * DAY
      : ms + r.range(14, 240) * DAY;
    const title = fill(r.pick(TEMPLATES[lang].dealTitles), this.fillFor(lang, primary, company));
    const columns: SeedRow = {
      title,
      amount:
        currency === 'IRR' ? r.range(lo / 1_000_000, hi / 1_000_000) * 1_000_000 : r.range(lo / 100, hi / 100) * 100,
      currency,
      pipeline_id: this.env.pipelineId,
      stage_id: stage.id,
      close_date: r.chance(0.9) ? iso(Math.min(closeMs, this.nowMs + 400 * DAY)).slice(0, 10) : null,
      company_id: company ? company.id : null,
      contact_ids: JSON.stringify(contactIds),
      stage_changed_at: iso(ms),
    };
    this.emit('deals', id, ms, columns, batch);
    for (const c of contactIds) batch.deal_contacts.push(id, c);
    this.deals.push(id);
  }

  activity(id: string, ms: number, batch: SeedBatch): void {
    const r = this.r;
    const type: ActivityType = r.pick(ACTIVITY_TYPES);
    const related: { type: CrmObjectName; id: string }[] = [];
    const pickTarget = r.next();
    let contact: ContactRef | undefined;
    let company: CompanyRef | undefined;
    if (pickTarget < 0.6 && this.contacts.length > 0) {
      contact = this.contacts[r.int(this.contacts.length)];
      company = contact && contact.company >= 0 ? this.companies[contact.company] : undefined;
    } else if (pickTarget < 0.85 && this.deals.length > 0) {
      const deal = this.deals[r.int(this.deals.length)];
      if (deal) related.push({ type: 'deals', id: deal });
    } else if (this.companies.length > 0) {
      company = this.companies[r.int(this.companies.length)];
    }
    if (contact) related.push({ type: 'contacts', id: contact.id });
    if (company && (!contact || r.chance(0.5))) related.push({ type: 'companies', id: company.id });
    const lang: Lang = contact?.lang ?? (r.chance(0.5) ? 'fa' : 'en');
    const t = TEMPLATES[lang];
    const f = this.fillFor(lang, contact, company);
    let dueAt: string | null = null;
    let completedAt: string | null = null;
    if (type === 'task' || type === 'meeting') {
      const due = ms + r.range(1, 21) * DAY + r.int(10) * 3_600_000;
      dueAt = iso(due);
      if (due < this.nowMs && r.chance(0.7)) completedAt = iso(Math.min(this.nowMs, due + r.int(2 * DAY)));
    } else if (type === 'call' || type === 'email') {
      completedAt = iso(ms);
    }
    const columns: SeedRow = {
      type,
      subject: fill(r.pick(t.subjects[type]), f),
      body: r.chance(0.9) ? fill(r.pick(t.bodies[type]), f) : null,
      due_at: dueAt,
      completed_at: completedAt,
      related: JSON.stringify(related),
    };
    this.emit('activities', id, ms, columns, batch);
    for (const rel of related) batch.activity_links.push(id, rel.type, rel.id);
  }
}
