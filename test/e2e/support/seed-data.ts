import type { APIRequestContext } from '@playwright/test';

interface Pipeline {
  id: string;
  isDefault: boolean;
  stages: { id: string; name: string }[];
}

/** A session for API calls: signs in and returns the CSRF header to send on writes. */
export async function apiSession(api: APIRequestContext, user: { email: string; password: string }) {
  const res = await api.post('/api/v1/auth/login', { data: { email: user.email, password: user.password } });
  if (!res.ok()) throw new Error(`login failed: ${res.status()} ${await res.text()}`);
  const body = (await res.json()) as { csrfToken: string };
  return { 'x-csrf-token': body.csrfToken };
}

async function post<T>(
  api: APIRequestContext,
  headers: Record<string, string>,
  path: string,
  data: unknown,
): Promise<T> {
  const res = await api.post(`/api/v1${path}`, { data, headers });
  if (!res.ok()) throw new Error(`POST ${path} failed: ${res.status()} ${await res.text()}`);
  return (await res.json()) as T;
}

/**
 * A small data set in English and Persian: companies, contacts, deals across stages, tasks and notes.
 * `api` is a signed-in context (a browser context's request API shares its session); `h` its CSRF header.
 */
export async function seedDemoData(api: APIRequestContext, h: Record<string, string>): Promise<void> {
  const companies = [
    { name: 'Pars Software', domain: 'pars-software.ir', industry: 'Software', size: '51-200' },
    { name: 'شرکت بازرگانی آریا', domain: 'aria-trade.ir', industry: 'بازرگانی', size: '11-50' },
    { name: 'Northwind Traders', domain: 'northwind.example', industry: 'Retail', size: '201-500' },
  ];
  const companyIds: string[] = [];
  for (const c of companies) companyIds.push((await post<{ id: string }>(api, h, '/companies', c)).id);

  const people = [
    ['Sara', 'Ahmadi', 'sara.ahmadi@pars-software.ir', '09121234567', 'Head of Sales', 0],
    ['علی', 'رضایی', 'ali.rezaei@aria-trade.ir', '09351112233', 'مدیر خرید', 1],
    ['Maryam', 'Karimi', 'maryam.karimi@pars-software.ir', '+989123334455', 'CTO', 0],
    ['Nancy', 'Davolio', 'nancy@northwind.example', '+14155550123', 'Buyer', 2],
    ['رضا', 'محمدی', 'reza.mohammadi@aria-trade.ir', '09127654321', 'مدیرعامل', 1],
    ['Andrew', 'Fuller', 'andrew@northwind.example', '+14155550188', 'VP Sales', 2],
    ['نگار', 'حسینی', 'negar.hosseini@example.ir', '09901234567', 'مشاور', null],
    ['Janet', 'Leverling', 'janet@northwind.example', '+14155550145', 'Account manager', 2],
  ] as const;
  const contactIds: string[] = [];
  for (const [firstName, lastName, email, phone, title, company] of people) {
    const c = await post<{ id: string }>(api, h, '/contacts', {
      firstName,
      lastName,
      email,
      phone,
      title,
      companyId: company === null ? null : companyIds[company],
      birthDate: '1988-03-21',
      tags: ['demo'],
    });
    contactIds.push(c.id);
  }

  const pipelines = (await (await api.get('/api/v1/pipelines')).json()) as { items: Pipeline[] };
  const pipeline = pipelines.items.find((p) => p.isDefault) ?? pipelines.items[0];
  if (!pipeline) throw new Error('no pipeline');
  const deals = [
    ['ERP rollout — Pars', 450_000_000_0, 'IRR', 0, 0],
    ['Annual licence — Aria', 120_000_000_0, 'IRR', 1, 1],
    ['Northwind POS upgrade', 48_000_00, 'USD', 2, 1],
    ['Support contract', 90_000_000_0, 'IRR', 0, 2],
    ['Training package', 12_500_00, 'USD', 2, 0],
    ['Cloud migration', 310_000_000_0, 'IRR', 1, 3],
  ] as const;
  for (const [title, amount, currency, company, stage] of deals) {
    await post(api, h, '/deals', {
      title,
      amount,
      currency,
      pipelineId: pipeline.id,
      stageId: pipeline.stages[Math.min(stage, pipeline.stages.length - 1)]?.id,
      companyId: companyIds[company],
      closeDate: '2026-12-20',
    });
  }

  const now = Date.now();
  const hour = 3_600_000;
  const today = new Date();
  today.setHours(17, 0, 0, 0);
  const activities = [
    { type: 'task', subject: 'Send the revised quote to Sara', dueAt: today.toISOString(), contact: 0 },
    { type: 'task', subject: 'پیگیری تماس با آقای رضایی', dueAt: new Date(now - 30 * hour).toISOString(), contact: 1 },
    { type: 'call', subject: 'Discovery call', dueAt: new Date(now - 72 * hour).toISOString(), contact: 3 },
    { type: 'meeting', subject: 'جلسهٔ معرفی محصول', dueAt: new Date(now - 120 * hour).toISOString(), contact: 4 },
    { type: 'note', subject: 'Prefers email over phone', dueAt: null, contact: 0 },
  ];
  for (const a of activities) {
    await post(api, h, '/activities', {
      type: a.type,
      subject: a.subject,
      dueAt: a.dueAt,
      related: [{ type: 'contacts', id: contactIds[a.contact] }],
    });
  }
}
