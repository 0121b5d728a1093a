export { DealRecordPage as DealRecordRoute } from '../../features/deals/components/DealRecordPage';
