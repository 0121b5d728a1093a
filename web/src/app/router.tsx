import { createBrowserRouter, type RouteObject } from 'react-router';
import { AppLayout } from './layout/AppLayout';
import { RequireAuth } from './layout/RequireAuth';
import { RouteError } from './layout/RouteError';
import { NotFoundPage } from './layout/NotFoundPage';

/** Every screen is its own chunk, loaded when first visited; the shell is all the first page needs. */
const routes: RouteObject[] = [
  {
    path: '/login',
    lazy: async () => ({ Component: (await import('../features/auth/components/LoginPage')).LoginPage }),
    errorElement: <RouteError />,
  },
  {
    path: '/setup',
    lazy: async () => ({ Component: (await import('./layout/AccountSetupPage')).AccountSetupPage }),
    errorElement: <RouteError />,
  },
  {
    element: <RequireAuth />,
    errorElement: <RouteError />,
    children: [
      {
        element: <AppLayout />,
        children: [
          {
            index: true,
            lazy: async () => ({
              Component: (await import('../features/dashboard/components/DashboardPage')).DashboardPage,
            }),
          },
          {
            path: 'contacts',
            lazy: async () => ({ Component: (await import('./routes/contacts-list')).ContactsListRoute }),
          },
          {
            path: 'contacts/:id',
            lazy: async () => ({ Component: (await import('./routes/contact-record')).ContactRecordRoute }),
          },
          {
            path: 'companies',
            lazy: async () => ({ Component: (await import('./routes/companies-list')).CompaniesListRoute }),
          },
          {
            path: 'companies/:id',
            lazy: async () => ({ Component: (await import('./routes/company-record')).CompanyRecordRoute }),
          },
          {
            path: 'deals',
            lazy: async () => ({ Component: (await import('../features/deals/components/DealsPage')).DealsPage }),
          },
          {
            path: 'deals/:id',
            lazy: async () => ({ Component: (await import('./routes/deal-record')).DealRecordRoute }),
          },
          {
            path: 'tasks',
            lazy: async () => ({ Component: (await import('../features/tasks/components/TasksPage')).TasksPage }),
          },
          {
            path: 'profile',
            lazy: async () => ({
              Component: (await import('../features/profile/components/ProfilePage')).ProfilePage,
            }),
          },
          {
            path: 'admin/users',
            lazy: async () => ({ Component: (await import('../features/admin/components/UsersPage')).UsersPage }),
          },
          {
            path: 'admin/fields',
            lazy: async () => ({ Component: (await import('../features/admin/components/FieldsPage')).FieldsPage }),
          },
          {
            path: 'admin/roles',
            lazy: async () => ({
              Component: (await import('../features/admin/components/roles/RolesPage')).RolesPage,
            }),
          },
          {
            path: 'admin/roles/:id',
            lazy: async () => ({
              Component: (await import('../features/admin/components/roles/RolePage')).RolePage,
            }),
          },
          {
            path: 'admin/teams',
            lazy: async () => ({ Component: (await import('../features/admin/components/TeamsPage')).TeamsPage }),
          },
          {
            path: 'security/access-reviews',
            lazy: async () => ({
              Component: (await import('../features/security/components/reviews/AccessReviewsPage')).AccessReviewsPage,
            }),
          },
          {
            path: 'security/access-reviews/:id',
            lazy: async () => ({
              Component: (await import('../features/security/components/reviews/AccessReviewPage')).AccessReviewPage,
            }),
          },
          {
            path: 'security/keys',
            lazy: async () => ({
              Component: (await import('../features/security/components/KeyStatusPage')).KeyStatusPage,
            }),
          },
          {
            path: 'security/audit',
            lazy: async () => ({
              Component: (await import('../features/security/components/AuditLogPage')).AuditLogPage,
            }),
          },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
];

export const router = createBrowserRouter(routes);
