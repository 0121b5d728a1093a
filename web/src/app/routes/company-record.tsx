import { Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { RecordPage } from '../../components/records/RecordPage';
import { RelatedList } from '../../components/records/RelatedList';
import { useFormat } from '../../lib/format';

export function CompanyRecordRoute() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <RecordPage
      key={id}
      object="companies"
      id={id}
      backTo="/companies"
      backLabel={t('nav.companies')}
      side={() => (
        <Stack gap="lg">
          <RelatedList
            title={t('nav.contacts')}
            object="contacts"
            params={{ companyId: id }}
            emptyText={t('contacts.noneLinked')}
          />
          <RelatedList
            title={t('nav.deals')}
            object="deals"
            params={{ companyId: id }}
            emptyText={t('deals.noneLinked')}
            describe={(d) => {
              const deal = d as unknown as { amount: number; currency: string };
              return fmt.money(deal.amount, deal.currency);
            }}
          />
        </Stack>
      )}
    />
  );
}
