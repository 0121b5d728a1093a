export { CompaniesListPage as CompaniesListRoute } from '../../features/companies/components/CompaniesListPage';
