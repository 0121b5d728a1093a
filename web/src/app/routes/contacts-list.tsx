export { ContactsListPage as ContactsListRoute } from '../../features/contacts/components/ContactsListPage';
