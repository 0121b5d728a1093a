import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { RecordPage } from '../../components/records/RecordPage';
import { RelatedList } from '../../components/records/RelatedList';
import { RecordLink } from '../../components/records/RecordLink';
import { useFormat } from '../../lib/format';

/** A contact: details, company, deals, timeline — composed from the shared record building blocks. */
export function ContactRecordRoute() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <RecordPage
      key={id}
      object="contacts"
      id={id}
      backTo="/contacts"
      backLabel={t('nav.contacts')}
      renderValue={(f, v) =>
        f.key === 'companyId' && typeof v === 'string' ? <RecordLink object="companies" id={v} /> : undefined
      }
      side={() => (
        <RelatedList
          title={t('nav.deals')}
          object="deals"
          params={{ contactId: id }}
          emptyText={t('deals.noneLinked')}
          describe={(d) => {
            const deal = d as unknown as { amount: number; currency: string };
            return fmt.money(deal.amount, deal.currency);
          }}
        />
      )}
    />
  );
}
