import React from 'react';
import { Route, Routes } from 'react-router-dom';
import { AppRootProps } from '@grafana/data';

import { ROUTES } from '../../constants';

const Overview = React.lazy(() => import('../../pages/Overview/Overview'));
const Connections = React.lazy(() => import('../../pages/Connections/Connections'));
const Resources = React.lazy(() => import('../../pages/Resources/Resources'));
const Recommendations = React.lazy(() => import('../../pages/Recommendations/Recommendations'));
const Budgets = React.lazy(() => import('../../pages/Budgets/Budgets'));
const Allocation = React.lazy(() => import('../../pages/Allocation/Allocation'));
const Reports = React.lazy(() => import('../../pages/Reports/Reports'));
const Admin = React.lazy(() => import('../../pages/Admin/Admin'));

/** One route per page of plugin.json `includes`; anything else lands on the overview. */
function App(_props: AppRootProps) {
  return (
    <Routes>
      <Route path={ROUTES.Overview} element={<Overview />} />
      <Route path={ROUTES.Connections} element={<Connections />} />
      <Route path={ROUTES.Resources} element={<Resources />} />
      <Route path={ROUTES.Recommendations} element={<Recommendations />} />
      <Route path={ROUTES.Budgets} element={<Budgets />} />
      <Route path={ROUTES.Allocation} element={<Allocation />} />
      <Route path={ROUTES.Reports} element={<Reports />} />
      <Route path={ROUTES.Admin} element={<Admin />} />
      <Route path="*" element={<Overview />} />
    </Routes>
  );
}

export default App;
