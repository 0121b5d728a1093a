import type { Lang } from './name-pools.js';

/**
 * Sentence templates for activities and deals, in English and Persian. `{name}`, `{company}`, `{product}`,
 * `{city}` and `{day}` are filled from the name pools. No template produces a digit run a card scanner would flag.
 */
export type ActivityType = 'note' | 'call' | 'meeting' | 'email' | 'task';

interface Templates {
  readonly subjects: Readonly<Record<ActivityType, readonly string[]>>;
  readonly bodies: Readonly<Record<ActivityType, readonly string[]>>;
  readonly dealTitles: readonly string[];
  readonly days: readonly string[];
}

export const TEMPLATES: Readonly<Record<Lang, Templates>> = {
  en: {
    subjects: {
      note: [
        'Notes on {company}',
        'Background: {name}',
        'Pricing notes for {product}',
        'Internal note: {company} renewal',
      ],
      call: [
        'Call with {name}',
        'Follow-up call: {product}',
        'Discovery call with {company}',
        'Intro call with {name}',
      ],
      meeting: ['Meeting with {company} in {city}', 'Demo of {product} for {name}', 'Quarterly review with {company}'],
      email: ['Re: {product} proposal', 'Quote for {company}', 'Contract draft for {name}', 'Re: next steps'],
      task: [
        'Send quote to {name}',
        'Prepare demo of {product}',
        'Update the {company} account plan',
        'Book a visit in {city}',
      ],
    },
    bodies: {
      note: [
        '{name} prefers email over phone. Budget approval sits with the finance team at {company}.',
        '{company} is evaluating two other vendors; our edge is support in their time zone.',
        'Met {name} at the trade fair in {city}. Interested in {product}, wants a reference customer.',
      ],
      call: [
        'Spoke with {name} about {product}. They asked for a revised quote and a pilot; follow up on {day}.',
        'Short call: {company} delayed the decision to next quarter. Keep in touch monthly.',
        '{name} confirmed the budget. Legal review of the contract should finish by {day}.',
      ],
      meeting: [
        'Agenda: {product} demo, pricing, rollout plan for {city}. Attendees: {name} and their team lead.',
        'Reviewed open tickets with {company}. Agreed to a training session before the renewal.',
      ],
      email: [
        'Hi {name}, attached is the proposal for {product}. Happy to walk you through it on {day}.',
        'Thanks for the meeting. As discussed, the pilot for {company} can start next month.',
      ],
      task: [
        'Prepare the quote for {product} with the volume discount we discussed.',
        'Check with finance whether {company} can pay in two instalments.',
        'Send {name} the security questionnaire answers before {day}.',
      ],
    },
    dealTitles: [
      '{product} for {company}',
      '{company} — annual licence',
      '{company} renewal',
      'Pilot: {product}',
      '{company} expansion ({city})',
    ],
    days: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'],
  },
  fa: {
    subjects: {
      note: ['یادداشت درباره {company}', 'سوابق {name}', 'یادداشت قیمت {product}', 'یادداشت داخلی: تمدید {company}'],
      call: ['تماس با {name}', 'پیگیری تلفنی {product}', 'تماس آشنایی با {company}', 'تماس معرفی با {name}'],
      meeting: ['جلسه با {company} در {city}', 'نمایش {product} برای {name}', 'جلسه مرور فصلی با {company}'],
      email: ['پاسخ: پیشنهاد {product}', 'پیش‌فاکتور برای {company}', 'پیش‌نویس قرارداد {name}', 'پاسخ: قدم‌های بعدی'],
      task: [
        'ارسال پیش‌فاکتور به {name}',
        'آماده‌سازی نمایش {product}',
        'به‌روزرسانی برنامه حساب {company}',
        'هماهنگی بازدید در {city}',
      ],
    },
    bodies: {
      note: [
        '{name} ایمیل را به تلفن ترجیح می‌دهد. تصویب بودجه با واحد مالی {company} است.',
        '{company} در حال بررسی دو تأمین‌کننده دیگر است؛ برتری ما پشتیبانی محلی است.',
        '{name} را در نمایشگاه {city} دیدم. به {product} علاقه دارد و مشتری مرجع می‌خواهد.',
      ],
      call: [
        'با {name} درباره {product} صحبت شد. پیش‌فاکتور جدید و یک دوره آزمایشی خواستند؛ پیگیری روز {day}.',
        'تماس کوتاه: {company} تصمیم را به فصل بعد موکول کرد. ماهانه پیگیری شود.',
        '{name} بودجه را تأیید کرد. بررسی حقوقی قرارداد تا {day} تمام می‌شود.',
      ],
      meeting: [
        'دستور جلسه: نمایش {product}، قیمت، برنامه اجرا در {city}. حاضران: {name} و سرپرست تیم.',
        'درخواست‌های باز {company} مرور شد. قرار شد پیش از تمدید یک جلسه آموزشی برگزار شود.',
      ],
      email: [
        '{name} عزیز، پیشنهاد {product} پیوست است. روز {day} در خدمتم تا توضیح بدهم.',
        'از جلسه سپاسگزارم. همان‌طور که گفتیم، دوره آزمایشی {company} از ماه آینده شروع می‌شود.',
      ],
      task: [
        'پیش‌فاکتور {product} با تخفیف حجمی آماده شود.',
        'با واحد مالی بررسی شود که آیا {company} می‌تواند در دو قسط پرداخت کند.',
        'پاسخ پرسشنامه امنیتی پیش از {day} برای {name} فرستاده شود.',
      ],
    },
    dealTitles: [
      '{product} برای {company}',
      '{company} — مجوز سالانه',
      'تمدید قرارداد {company}',
      'آزمایشی: {product}',
      'توسعه {company} ({city})',
    ],
    days: ['شنبه', 'یکشنبه', 'دوشنبه', 'سه‌شنبه', 'چهارشنبه'],
  },
};

/** Tag vocabulary (both languages), as people type them; the service's normalisation is applied on use. */
export const TAG_VOCABULARY = [
  'vip',
  'newsletter',
  'partner',
  'churn-risk',
  'enterprise',
  'referral',
  'event-2025',
  'مشتری ویژه',
  'همکار',
  'نمایشگاه',
  'خبرنامه',
  'تهران',
];

export interface Fill {
  name: string;
  company: string;
  product: string;
  city: string;
  day: string;
}

const PLACEHOLDER = /\{(name|company|product|city|day)\}/g;

export function fill(template: string, f: Fill): string {
  return template.replace(PLACEHOLDER, (_m, key: keyof Fill) => f[key]);
}
